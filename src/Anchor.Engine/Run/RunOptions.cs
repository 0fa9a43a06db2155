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

    /// <summary>--network as given (docker's HostConfig.NetworkMode, "default" when not given); null when not given.</summary>
    public string? NetworkFlag { get; init; }

    /// <summary>--tmpfs as given, PATH[:OPTIONS] (docker's HostConfig.Tmpfs; --mount type=tmpfs is not in it).</summary>
    public IReadOnlyList<string> TmpfsFlags { get; init; } = [];

    // Namespaces, limits and identity (docs/architecture.md, "run: namespace and process flags").

    /// <summary>--ulimit, parsed; one per name, sorted by name (docker's UlimitOpt.GetList).</summary>
    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];

    /// <summary>--sysctl KEY=VALUE, checked against docker's allowed list; null when none was given.</summary>
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    /// <summary>--shm-size in bytes; 0 for docker's default (64 MiB).</summary>
    public long ShmSize { get; init; }

    /// <summary>--ipc: none, private, shareable, host or container:NAME; null for docker's default (private).</summary>
    public string? IpcMode { get; init; }

    /// <summary>--pid: host or container:NAME; null for a private pid namespace.</summary>
    public string? PidMode { get; init; }

    /// <summary>--uts: host; null for a private uts namespace.</summary>
    public string? UtsMode { get; init; }

    /// <summary>--userns: host, auto or auto:size=N (podman's); null for the host's (docker's default).</summary>
    public string? UsernsMode { get; init; }

    /// <summary>--uidmap: CONTAINER:HOST:SIZE, as given (a user namespace with these maps).</summary>
    public IReadOnlyList<string> UidMaps { get; init; } = [];

    /// <summary>--gidmap: CONTAINER:HOST:SIZE, as given; none: the uid maps.</summary>
    public IReadOnlyList<string> GidMaps { get; init; } = [];

    /// <summary>--domainname: the NIS domain name in the container's uts namespace.</summary>
    public string? Domainname { get; init; }

    /// <summary>--group-add: group names or ids, as given (resolved in the image's /etc/group at start).</summary>
    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    /// <summary>--oom-score-adj (-1000 to 1000).</summary>
    public int OomScoreAdj { get; init; }

    /// <summary>--mac-address: the MAC of the container's interface on its bridge network, lower case.</summary>
    public string? MacAddress { get; init; }

    /// <summary>--health-* or --no-healthcheck as docker's CLI sends Config.Healthcheck (null: none given, the image's applies).</summary>
    public Oci.Image.HealthConfig? Healthcheck { get; init; }

    /// <summary>--init: docker's HostConfig.Init (null when not given).</summary>
    public bool? Init { get; init; }

    // Metadata and run flags (docs/architecture.md, "run and create: metadata flags").

    /// <summary>--label and --label-file; in the record, merged over the image's labels (Config.Labels).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>--platform as given (os/arch[/variant]); null when not given.</summary>
    public string? Platform { get; init; }

    /// <summary>--pull always|missing|never.</summary>
    public PullPolicy Pull { get; init; } = PullPolicy.Missing;

    /// <summary>--cidfile: the file the new container's ID is written to (HostConfig.ContainerIDFile).</summary>
    public string? CidFile { get; init; }

    /// <summary>--stop-timeout: seconds stop and restart wait before SIGKILL when -t is not given (Config.StopTimeout).</summary>
    public int? StopTimeout { get; init; }

    /// <summary>-a/--attach: the streams a foreground run connects (stdin, stdout, stderr); null: stdout and stderr.</summary>
    public IReadOnlyList<string>? Attach { get; init; }

    /// <summary>--volumes-from CONTAINER[:ro|rw], as given (HostConfig.VolumesFrom).</summary>
    public IReadOnlyList<string> VolumesFrom { get; init; } = [];

    /// <summary>--log-driver as given (null: json-file); see <see cref="Logs.LogConfig"/>.</summary>
    public string? LogDriver { get; init; }

    /// <summary>--log-opt KEY=VALUE, as given.</summary>
    public IReadOnlyList<string> LogOpts { get; init; } = [];

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

    /// <summary>--sig-proxy (default true): a foreground run forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT to the container.</summary>
    public bool SigProxy { get; init; } = true;

    /// <summary>--runtime (HostConfig.Runtime) as given: a name of the runtimes table, runc, or a path; null is Anchor's own runtime.</summary>
    public string? Runtime { get; init; }

    /// <summary>The external runtime's program, resolved at create (Runtimes.RuntimeTable.Resolve); null for Anchor's own.</summary>
    public string? RuntimePath { get; init; }

    /// <summary>The global flags the runtimes table gives the external runtime (daemon.json's runtimeArgs).</summary>
    public IReadOnlyList<string> RuntimeArgs { get; init; } = [];
}
