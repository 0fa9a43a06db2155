namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>.Field.Sub</c>: a chain of field names evaluated on dot.</summary>
internal sealed record FieldNode(int Pos, string[] Ident) : TemplateNode(Pos)
{
    public override string ToString() => string.Concat(Ident.Select(i => "." + i));
}
