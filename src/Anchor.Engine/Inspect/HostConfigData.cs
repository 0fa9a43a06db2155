namespace Anchor.Engine.Inspect;

/// <summary>The HostConfig fields Anchor supports; the rest are written with docker's defaults.</summary>
public sealed record HostConfigData
{
    public IReadOnlyList<string>? Binds { get; init; }

    public string NetworkMode { get; init; } = "bridge";

    public RestartPolicyData RestartPolicy { get; init; } = new();

    public bool AutoRemove { get; init; }

    public IReadOnlyList<string>? CapAdd { get; init; }

    public IReadOnlyList<string>? CapDrop { get; init; }

    public IReadOnlyList<string>? Dns { get; init; }

    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    /// <summary>-p as given (HostPort 0: random, docker's "").</summary>
    public IReadOnlyList<Networks.PortBinding> PortBindings { get; init; } = [];

    public IReadOnlyList<string>? ExtraHosts { get; init; }

    public string IpcMode { get; init; } = "private";

    public string PidMode { get; init; } = "";

    public bool Privileged { get; init; }

    public bool PublishAllPorts { get; init; }

    public bool ReadonlyRootfs { get; init; }

    /// <summary>--security-opt as stored (null when none was given, as docker shows it).</summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>--tmpfs: path → options (omitted when empty, as docker does).</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    public string UTSMode { get; init; } = "";

    /// <summary>--userns as given ("", host, auto, auto:size=N).</summary>
    public string UsernsMode { get; init; } = "";

    public long ShmSize { get; init; } = 67108864;

    public string Runtime { get; init; } = "runc";

    public long Memory { get; init; }

    public long NanoCpus { get; init; }

    public long MemorySwap { get; init; }

    public long? PidsLimit { get; init; }

    public IReadOnlyList<string>? MaskedPaths { get; init; }

    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    /// <summary>--device, in docker's DeviceMapping shape; [] when none (docker's CLI always sends a list).</summary>
    public IReadOnlyList<Devices.DeviceMapping> Devices { get; init; } = [];

    /// <summary>--device-cgroup-rule; null when none was given (docker's CLI sends a nil list).</summary>
    public IReadOnlyList<string>? DeviceCgroupRules { get; init; }

    /// <summary>--group-add as given; null when none (docker's CLI sends a nil list).</summary>
    public IReadOnlyList<string>? GroupAdd { get; init; }

    public int OomScoreAdj { get; init; }

    /// <summary>--ulimit, sorted by name; [] when none.</summary>
    public IReadOnlyList<Run.Ulimit> Ulimits { get; init; } = [];

    /// <summary>--sysctl; omitted when none (omitempty).</summary>
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    /// <summary>--init: HostConfig.Init, omitted when not given (docker's *bool with omitempty).</summary>
    public bool? Init { get; init; }

    /// <summary>--cidfile, "" when not given.</summary>
    public string ContainerIDFile { get; init; } = "";

    /// <summary>--volumes-from as given; null when none.</summary>
    public IReadOnlyList<string>? VolumesFrom { get; init; }

    // cgroup resources (Resources/ResourceCheck): docker's values after its daemon adapted them.

    public long CpuShares { get; init; }

    public string CpusetCpus { get; init; } = "";

    public string CpusetMems { get; init; } = "";

    public long MemoryReservation { get; init; }

    public bool OomKillDisable { get; init; }

    public string CgroupParent { get; init; } = "";

    public long BlkioWeight { get; init; }

    /// <summary>LogConfig.Type: --log-driver as given, json-file by default.</summary>
    public string LogType { get; init; } = "json-file";

    /// <summary>LogConfig.Config: the --log-opt KEY=VALUE pairs.</summary>
    public IReadOnlyList<string> LogOptions { get; init; } = [];
}
