namespace Anchor.Build.Mounts;

/// <summary>
/// One <c>RUN --mount=…</c> (Dockerfile 1.2+ syntax) after parsing: its type (bind, cache, tmpfs,
/// secret), where it goes, and the options of that type. Mode, uid and gid are null when not given.
/// </summary>
public sealed record RunMount
{
    public const string Bind = "bind";
    public const string Cache = "cache";
    public const string Tmpfs = "tmpfs";
    public const string Secret = "secret";

    public required string Type { get; init; }

    public string Target { get; init; } = "";

    public string? Source { get; init; }

    public string? From { get; init; }

    public string? Id { get; init; }

    public bool ReadOnly { get; init; }

    public bool Required { get; init; }

    /// <summary>cache: shared (the default), private or locked.</summary>
    public string? Sharing { get; init; }

    public long? Size { get; init; }

    public uint? Mode { get; init; }

    public uint? Uid { get; init; }

    public uint? Gid { get; init; }
}
