namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>A string constant; <paramref name="Quoted"/> is the source form.</summary>
internal sealed record StringNode(int Pos, string Quoted, string Text) : TemplateNode(Pos)
{
    public override string ToString() => Quoted;
}
