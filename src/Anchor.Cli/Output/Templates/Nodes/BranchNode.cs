namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary><c>{{if}}</c>, <c>{{range}}</c> or <c>{{with}}</c> with its body and optional else body.</summary>
internal sealed record BranchNode(int Pos, BranchKind Kind, PipeNode Pipe, ListNode List, ListNode? ElseList) : TemplateNode(Pos)
{
    public override string ToString()
    {
        var name = Kind.ToString().ToLowerInvariant();
        var elsePart = ElseList is null ? "" : "{{else}}" + ElseList;
        return "{{" + name + " " + Pipe + "}}" + List + elsePart + "{{end}}";
    }
}
