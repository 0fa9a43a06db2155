namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>.</c>: the cursor value.</summary>
internal sealed record DotNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => ".";
}
