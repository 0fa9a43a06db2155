namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>Parse-time only: <c>{{end}}</c> or <c>{{else}}</c>, which close an item list.</summary>
internal sealed record DelimiterNode(int Pos, bool IsElse, int Line) : TemplateNode(Pos)
{
    public override string ToString() => IsElse ? "{{else}}" : "{{end}}";
}
