namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>$</c>, <c>$x</c> or <c>$x.Field.Sub</c>.</summary>
internal sealed record VariableNode(int Pos, string[] Ident) : TemplateNode(Pos)
{
    public override string ToString() => string.Join(".", Ident);
}
