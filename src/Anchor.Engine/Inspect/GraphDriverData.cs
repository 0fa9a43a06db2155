namespace Anchor.Engine.Inspect;

/// <summary>GraphDriver: the overlay directories of the container's root filesystem.</summary>
public sealed record GraphDriverData
{
    public string Name { get; init; } = "overlay2";

    public string LowerDir { get; init; } = "";

    public string UpperDir { get; init; } = "";

    public string WorkDir { get; init; } = "";

    public string MergedDir { get; init; } = "";
}
