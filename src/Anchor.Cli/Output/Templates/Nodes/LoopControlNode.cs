namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>{{break}}</c> or <c>{{continue}}</c> inside a range.</summary>
internal sealed record LoopControlNode(int Pos, bool IsBreak) : TemplateNode(Pos)
{
    public override string ToString() => IsBreak ? "{{break}}" : "{{continue}}";
}
