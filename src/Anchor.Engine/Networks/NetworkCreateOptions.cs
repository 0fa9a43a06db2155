namespace Anchor.Engine.Networks;

/// <summary>The options of network create.</summary>
public sealed record NetworkCreateOptions
{
    public required string Name { get; init; }

    public string Driver { get; init; } = "bridge";

    public string? Subnet { get; init; }

    public string? Gateway { get; init; }

    public bool Internal { get; init; }

    public Dictionary<string, string> Labels { get; init; } = [];
}
