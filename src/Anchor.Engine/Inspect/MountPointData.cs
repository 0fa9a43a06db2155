namespace Anchor.Engine.Inspect;

/// <summary>One entry of Mounts: Type is "bind", "volume" or "tmpfs"; Name and Driver only for volumes.</summary>
public sealed record MountPointData
{
    public string Type { get; init; } = "volume";

    public string? Name { get; init; }

    public string Source { get; init; } = "";

    public string Destination { get; init; } = "";

    public string? Driver { get; init; }

    public string Mode { get; init; } = "";

    public bool RW { get; init; } = true;

    public string Propagation { get; init; } = "";
}
