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

    /// <summary>The network as given to --network for Bridge (bridge, a user network's name or ID) and Container (the container).</summary>
    public string? NetworkName { get; init; }

    /// <summary>-p/--publish, parsed; HostPort 0 means a random port.</summary>
    public IReadOnlyList<Networks.PortBinding> Publish { get; init; } = [];

    /// <summary>-P/--publish-all: every exposed port (image and --expose) to a random host port.</summary>
    public bool PublishAll { get; init; }

    /// <summary>--expose, as ExposedPorts keys (80/tcp).</summary>
    public IReadOnlyList<string> Expose { get; init; } = [];

    /// <summary>--ip: a fixed address on a user network.</summary>
    public string? IpAddress { get; init; }

    /// <summary>--network-alias: names other containers on the user network resolve to this one.</summary>
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];

    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    /// <summary>--add-host as docker stores it (HOST:IP, IP possibly host-gateway).</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

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

    /// <summary>--cgroupns: "host", "private", or null for docker's default (private on cgroup v2, host on v1).</summary>
    public string? CgroupNs { get; init; }

    // Device confinement (docs/architecture.md, "Confinement: devices").

    /// <summary>--privileged: every capability of the host's bounding set, every device, no masked or read-only paths, /sys writable.</summary>
    public bool Privileged { get; init; }

    /// <summary>--device, parsed.</summary>
    public IReadOnlyList<Devices.DeviceMapping> Devices { get; init; } = [];

    /// <summary>--device-cgroup-rule, as given (checked against docker's grammar).</summary>
    public IReadOnlyList<string> DeviceCgroupRules { get; init; } = [];

    /// <summary>
    /// --security-opt as docker stores it (HostConfig.SecurityOpt, Security/SecurityOpt): null when
    /// none was given; seccomp=FILE holds the file's compacted JSON.
    /// </summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>--security-opt systempaths=unconfined: no masked or read-only paths (not kept in SecurityOpt).</summary>
    public bool SystemPathsUnconfined { get; init; }

    // cgroup resources beyond --memory/--cpus/--pids-limit (docs/architecture.md, "cgroup resources"),
    // as docker's HostConfig holds them after its daemon adapted them (ResourceCheck).

    /// <summary>--memory-swap: memory plus swap; -1 unlimited; null unset (then twice --memory, docker's default).</summary>
    public long? MemorySwap { get; init; }

    /// <summary>--memory-reservation: the soft limit in bytes.</summary>
    public long? MemoryReservation { get; init; }

    /// <summary>--cpu-shares (-c): the relative CPU weight (v1 cpu.shares).</summary>
    public long? CpuShares { get; init; }

    /// <summary>--cpuset-cpus, e.g. "0-1".</summary>
    public string? CpusetCpus { get; init; }

    /// <summary>--cpuset-mems, e.g. "0".</summary>
    public string? CpusetMems { get; init; }

    /// <summary>--oom-kill-disable (v1 only; dropped with docker's warning elsewhere).</summary>
    public bool OomKillDisable { get; init; }

    /// <summary>--cgroup-parent as given; the container's group is PARENT/ID instead of anchor/ID.</summary>
    public string? CgroupParent { get; init; }

    /// <summary>--blkio-weight: 10 to 1000.</summary>
    public ushort? BlkioWeight { get; init; }
}
