namespace Anchor.Engine.Volumes;

/// <summary>A named volume of the local driver: ROOT/volumes/NAME/_data plus this record (volume.json).</summary>
public sealed record VolumeRecord
{
    public required string Name { get; init; }

    public string Driver { get; init; } = "local";

    public required string Mountpoint { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>Made for a VOLUME or a bare -v /path: removed by rm -v and by volume prune.</summary>
    public bool Anonymous { get; init; }
}
