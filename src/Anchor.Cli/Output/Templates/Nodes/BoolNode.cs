namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>true</c> or <c>false</c>.</summary>
internal sealed record BoolNode(int Pos, bool Value) : TemplateNode(Pos)
{
    public override string ToString() => Value ? "true" : "false";
}
