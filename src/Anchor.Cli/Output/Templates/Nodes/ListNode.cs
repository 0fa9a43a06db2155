namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>A sequence of nodes: the body of the template or of a control structure.</summary>
internal sealed record ListNode(int Pos, List<TemplateNode> Nodes) : TemplateNode(Pos)
{
    public override string ToString() => string.Concat(Nodes.Select(n => n.ToString()));
}
