namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>A function name.</summary>
internal sealed record IdentifierNode(int Pos, string Ident) : TemplateNode(Pos)
{
    public override string ToString() => Ident;
}
