namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>One command of a pipeline: an operand followed by its arguments.</summary>
internal sealed record CommandNode(int Pos, List<TemplateNode> Args) : TemplateNode(Pos)
{
    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}
