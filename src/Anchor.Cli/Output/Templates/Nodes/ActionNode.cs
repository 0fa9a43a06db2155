namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>{{pipeline}}</c>: printed unless it only declares variables.</summary>
internal sealed record ActionNode(int Pos, PipeNode Pipe) : TemplateNode(Pos)
{
    public override string ToString() => "{{" + Pipe + "}}";
}
