namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>The untyped <c>nil</c> constant.</summary>
internal sealed record NilNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "nil";
}
