namespace Anchor.Engine.Run;

/// <summary>The options of <c>anchor run</c>, already parsed and validated by the CLI.</summary>
public sealed record RunOptions
{
    public required string Image { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];

    public bool Remove { get; init; }

    public bool Interactive { get; init; }

    public bool Tty { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Hostname { get; init; }

    public string? Name { get; init; }

    /// <summary>--entrypoint: null keeps the image's, "" clears it.</summary>
    public string? Entrypoint { get; init; }

    public long? MemoryBytes { get; init; }

    public long? CpuQuota { get; init; }

    public long? PidsLimit { get; init; }

    public bool ReadOnly { get; init; }

    public NetworkMode Network { get; init; } = NetworkMode.None;

    public bool Detach { get; init; }

    /// <summary>-v, --mount and --tmpfs, parsed.</summary>
    public IReadOnlyList<Volumes.MountSpec> Mounts { get; init; } = [];

    /// <summary>The image's STOPSIGNAL, or --stop-signal.</summary>
    public string? StopSignal { get; init; }

    public RestartPolicy Restart { get; init; } = RestartPolicy.No;

    /// <summary>--cap-add, as given (validated when the spec is made).</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>--cap-drop, as given.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];
}
