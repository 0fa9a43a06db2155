namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>A pipeline: optional <c>$x :=</c> / <c>$x =</c> declarations and commands joined by <c>|</c>.</summary>
internal sealed record PipeNode(int Pos, List<VariableNode> Decl, bool IsAssign, List<CommandNode> Commands) : TemplateNode(Pos)
{
    public override string ToString()
    {
        var decl = Decl.Count == 0 ? "" : string.Join(", ", Decl) + (IsAssign ? " = " : " := ");
        return decl + string.Join(" | ", Commands);
    }
}
