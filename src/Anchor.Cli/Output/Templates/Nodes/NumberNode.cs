namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>A numeric or character constant: Go's untyped constant, an int when it is integral.</summary>
internal sealed record NumberNode(int Pos, string Text, TemplateValue Value) : TemplateNode(Pos)
{
    public override string ToString() => Text;
}
