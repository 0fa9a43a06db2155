namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>(pipeline).Field</c>: fields applied to the value of a term.</summary>
internal sealed record ChainNode(int Pos, TemplateNode Node, string[] Field) : TemplateNode(Pos)
{
    public override string ToString() =>
        (Node is PipeNode ? "(" + Node + ")" : Node.ToString()) + string.Concat(Field.Select(f => "." + f));
}
