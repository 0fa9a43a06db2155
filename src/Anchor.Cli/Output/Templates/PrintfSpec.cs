namespace Anchor.Cli.Output.Templates;

/// <summary>The flags, width and precision of one printf verb.</summary>
internal sealed record PrintfSpec
{
    public bool Minus { get; set; }

    public bool Plus { get; set; }

    public bool Zero { get; set; }

    public bool Space { get; set; }

    public bool Sharp { get; set; }

    public int? Width { get; set; }

    public int? Precision { get; set; }
}
