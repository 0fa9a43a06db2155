namespace Anchor.Cli.Output.Templates.Nodes;

/// <summary>Plain text between actions, copied to the output as is.</summary>
internal sealed record TextNode(int Pos, string Text) : TemplateNode(Pos)
{
    public override string ToString() => GoQuote.Quote(Text);
}
