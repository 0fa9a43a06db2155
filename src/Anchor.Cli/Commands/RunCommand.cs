using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Devices;
using Anchor.Engine.Networks;
using Anchor.Engine.Run;
using Anchor.Engine.Units;
using Anchor.Engine.Volumes;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor run [OPTIONS] IMAGE [COMMAND] [ARG...]</c>, docker's flags and exit codes.</summary>
public static class RunCommand
{
    private static readonly Option<bool> Rm = new("--rm") { Description = "Automatically remove the container when it exits" };
    private static readonly Option<bool> Interactive = new("--interactive", "-i") { Description = "Keep STDIN open" };
    private static readonly Option<bool> Tty = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
    private static readonly Option<string[]> Env = new("--env", "-e") { Description = "Set environment variables" };
    private static readonly Option<string[]> EnvFile = new("--env-file") { Description = "Read in a file of environment variables" };
    private static readonly Option<string?> Workdir = new("--workdir", "-w") { Description = "Working directory inside the container" };
    private static readonly Option<string?> User = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
    private static readonly Option<string?> Hostname = new("--hostname", "-h") { Description = "Container host name" };
    private static readonly Option<string?> Name = new("--name") { Description = "Assign a name to the container" };
    private static readonly Option<string?> Entrypoint = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };
    private static readonly Option<string?> Memory = new("--memory", "-m") { Description = "Memory limit" };
    private static readonly Option<string?> Cpus = new("--cpus") { Description = "Number of CPUs" };
    private static readonly Option<string?> PidsLimit = new("--pids-limit") { Description = "Tune container pids limit (-1 for unlimited)" };
    private static readonly Option<bool> ReadOnly = new("--read-only") { Description = "Mount the container's root filesystem as read only" };
    private static readonly Option<string?> Network = new("--network", "--net") { Description = "Connect a container to a network (bridge, NAME, host, none, container:NAME)" };
    private static readonly Option<string[]> Publish = new("--publish", "-p") { Description = "Publish a container's port(s) to the host ([ip:][hostPort:]containerPort[/proto])" };
    private static readonly Option<bool> PublishAll = new("--publish-all", "-P") { Description = "Publish all exposed ports to random ports" };
    private static readonly Option<string[]> Expose = new("--expose") { Description = "Expose a port or a range of ports" };
    private static readonly Option<string?> Ip = new("--ip") { Description = "IPv4 address (e.g., 172.30.100.104)" };
    private static readonly Option<string[]> Dns = new("--dns") { Description = "Set custom DNS servers" };
    private static readonly Option<string[]> DnsSearch = new("--dns-search") { Description = "Set custom DNS search domains" };
    private static readonly Option<string[]> DnsOption = new("--dns-option", "--dns-opt") { Description = "Set DNS options" };
    private static readonly Option<string[]> AddHost = new("--add-host") { Description = "Add a custom host-to-IP mapping (host:ip)" };
    private static readonly Option<string[]> NetworkAlias = new("--network-alias", "--net-alias") { Description = "Add network-scoped alias for the container" };
    private static readonly Option<bool> Detach = new("--detach", "-d") { Description = "Run container in background and print container ID" };
    private static readonly Option<string?> Restart = new("--restart") { Description = "Restart policy to apply when a container exits (no, on-failure[:N], always, unless-stopped)" };
    private static readonly Option<string?> StopSignal = new("--stop-signal") { Description = "Signal to stop the container" };
    private static readonly Option<string[]> Volume = new("--volume", "-v") { Description = "Bind mount a volume ([SOURCE:]TARGET[:ro])" };
    private static readonly Option<string[]> Mount = new("--mount") { Description = "Attach a filesystem mount to the container (type=bind|volume|tmpfs,...)" };
    private static readonly Option<string[]> Tmpfs = new("--tmpfs") { Description = "Mount a tmpfs directory (PATH[:OPTIONS])" };
    private static readonly Option<string[]> CapAdd = new("--cap-add") { Description = "Add Linux capabilities" };
    private static readonly Option<string[]> CapDrop = new("--cap-drop") { Description = "Drop Linux capabilities" };
    private static readonly Option<string?> CgroupNs = new("--cgroupns") { Description = "Cgroup namespace to use (host|private)" };

    // Device confinement (docs/architecture.md, "Confinement: devices").
    private static readonly Option<bool> Privileged = new("--privileged") { Description = "Give extended privileges to this container" };
    private static readonly Option<string[]> Device = new("--device") { Description = "Add a host device to the container" };
    private static readonly Option<string[]> DeviceCgroupRule = new("--device-cgroup-rule") { Description = "Add a rule to the cgroup allowed devices list" };
    private static readonly Option<string[]> SecurityOpt = new("--security-opt") { Description = "Security Options" };
    private static readonly Option<string?> LogDriver = new("--log-driver") { Description = "Logging driver for the container (json-file, local, none)" };
    private static readonly Option<string[]> LogOpt = new("--log-opt") { Description = "Log driver options (max-size, max-file)" };

    private static readonly Argument<string[]> ImageAndCommand = new("IMAGE [COMMAND] [ARG...]")
    {
        Arity = ArgumentArity.OneOrMore,
        // docker's rule: run's options end at the image; everything after it is the command.
        CaptureRemainingTokens = true,
    };

    public static Command Create() => Define("run", "Run a command in a new container", Execute, withDetach: true);

    /// <summary>run and create share every option but --detach (docker's container create flags).</summary>
    public static Command Define(string name, string description, Func<ParseResult, int> action, bool withDetach)
    {
        var command = new Command(name, description)
        {
            Rm, Interactive, Tty, Env, EnvFile, Workdir, User, Hostname, Name, Entrypoint, Memory, Cpus, PidsLimit, ReadOnly, Network,
            Publish, PublishAll, Expose, Ip, Dns, DnsSearch, DnsOption, AddHost, NetworkAlias,
            Restart, StopSignal, Volume, Mount, Tmpfs, CapAdd, CapDrop, ImageAndCommand,
        };
        command.Options.Add(CgroupNs);
        command.Options.Add(Privileged);
        command.Options.Add(Device);
        command.Options.Add(DeviceCgroupRule);
        command.Options.Add(SecurityOpt);
        RunNamespaceFlags.AddTo(command);
        RunHealthOptions.AddTo(command);
        RunInitOption.AddTo(command);
        RunMetadataFlags.AddTo(command);
        command.Options.Add(LogDriver);
        command.Options.Add(LogOpt);
        ResourceFlags.AddTo(command);
        RunSessionFlags.AddTo(command, run: withDetach);
        RunRuntimeFlag.AddTo(command);
        if (withDetach)
        {
            command.Options.Add(Detach);
        }

        command.SetAction(action);
        return command;
    }

    private static int Execute(ParseResult result)
    {
        var options = ToOptions(result);
        RunMetadataFlags.CheckRun(options);
        Linux.PhaseTrace.Mark("cli: options");
        var engine = CliEngine.Of(result);
        Linux.PhaseTrace.Mark("cli: engine");
        if (RunRuntimeFlag.TakesOver(options))
        {
            return RunRuntimeFlag.RunAttached(engine, options);
        }

        if (!options.Detach)
        {
            return engine.Runner.Run(options);
        }

        var record = engine.Lifecycle.CreateAndStart(options);
        Console.WriteLine(record.Id);
        return 0;
    }

    public static RunOptions ToOptions(ParseResult result)
    {
        var positional = result.GetValue(ImageAndCommand) ?? [];
        if (positional[0].StartsWith('-'))
        {
            // The first capturing token was an option nobody declared (docker/cobra's wording).
            throw new EngineException($"unknown flag: {positional[0]}\nSee 'anchor run --help'.");
        }

        // docker: "docker: open F: no such file or directory.", exit 125 (run and create).
        var env = Anchor.Engine.Run.EnvFile.Collect(result.GetValue(EnvFile) ?? [], result.GetValue(Env) ?? [], ExitCodes.EngineError);

        var capAdd = result.GetValue(CapAdd) ?? [];
        var capDrop = result.GetValue(CapDrop) ?? [];
        _ = CapabilitySet.Resolve(capAdd, capDrop); // unknown names fail here, before anything is made

        // docker's client reads seccomp=FILE here and stores the profile itself.
        var (securityOpt, systemPathsUnconfined) = Anchor.Engine.Security.SecurityOpt.FromCommandLine(result.GetValue(SecurityOpt) ?? []);

        _ = Anchor.Engine.Logs.LogConfig.Parse(result.GetValue(LogDriver), result.GetValue(LogOpt) ?? []); // docker refuses at create

        var network = NetworkFlag.Parse(result.GetValue(Network));
        IReadOnlyList<PortBinding> publish = [.. (result.GetValue(Publish) ?? []).SelectMany(PortSpecParser.ParsePublish)];
        if (network.Mode == NetworkMode.Host && (publish.Count > 0 || result.GetValue(PublishAll)))
        {
            // docker's warning; the ports are dropped (the container already has the host's ports).
            Console.Error.WriteLine("WARNING: Published ports are discarded when using host network mode");
            publish = [];
        }

        return RunRuntimeFlag.Apply(result, RunSessionFlags.Apply(result, ResourceFlags.Apply(result, RunMetadataFlags.Apply(result, RunNamespaceFlags.Apply(result, new RunOptions
        {
            Image = positional[0],
            Command = positional[1..],
            Remove = result.GetValue(Rm),
            Interactive = result.GetValue(Interactive),
            Tty = result.GetValue(Tty),
            Env = env,
            WorkingDir = result.GetValue(Workdir),
            User = result.GetValue(User),
            Hostname = result.GetValue(Hostname),
            Name = result.GetValue(Name),
            Entrypoint = result.GetValue(Entrypoint),
            MemoryBytes = ParseMemory(result.GetValue(Memory)),
            CpuQuota = ParseCpus(result.GetValue(Cpus)),
            PidsLimit = ParsePids(result.GetValue(PidsLimit)),
            ReadOnly = result.GetValue(ReadOnly),
            Network = network.Mode,
            NetworkName = network.Name,
            Publish = publish,
            PublishAll = result.GetValue(PublishAll),
            Expose = [.. (result.GetValue(Expose) ?? []).SelectMany(PortSpecParser.ParseExpose)],
            IpAddress = ParseIp(result.GetValue(Ip)),
            Dns = ParseDns(result.GetValue(Dns) ?? []),
            DnsSearch = result.GetValue(DnsSearch) ?? [],
            DnsOptions = result.GetValue(DnsOption) ?? [],
            ExtraHosts = [.. (result.GetValue(AddHost) ?? []).Select(ExtraHosts.Validate)],
            NetworkAliases = result.GetValue(NetworkAlias) ?? [],
            Detach = result.GetResult(Detach) is not null && result.GetValue(Detach),
            Restart = result.GetValue(Restart) is { } restart ? RestartPolicy.Parse(restart) : RestartPolicy.No,
            StopSignal = result.GetValue(StopSignal),
            Mounts = [
                .. (result.GetValue(Volume) ?? []).Select(MountSpecParser.ParseVolume),
                .. (result.GetValue(Mount) ?? []).Select(MountSpecParser.ParseMount),
                .. (result.GetValue(Tmpfs) ?? []).Select(MountSpecParser.ParseTmpfs),
            ],
            CapAdd = capAdd,
            CapDrop = capDrop,
            CgroupNs = ParseCgroupNs(result.GetValue(CgroupNs)),
            Privileged = result.GetValue(Privileged),
            DeviceCgroupRules = [.. (result.GetValue(DeviceCgroupRule) ?? []).Select(DeviceCgroupRuleParser.Validate)],
            Devices = [.. (result.GetValue(Device) ?? []).Select(DeviceMappingParser.Parse)],
            SecurityOpt = securityOpt,
            SystemPathsUnconfined = systemPathsUnconfined,
            NetworkFlag = result.GetValue(Network),
            TmpfsFlags = result.GetValue(Tmpfs) ?? [],
            Healthcheck = RunHealthOptions.Parse(result),
            Init = RunInitOption.Parse(result),
            LogDriver = result.GetValue(LogDriver),
            LogOpts = result.GetValue(LogOpt) ?? [],
        })))));
    }

    /// <summary>docker's --cgroupns: host or private; empty means the daemon's default (private on v2, host on v1).</summary>
    private static string? ParseCgroupNs(string? value) => value switch
    {
        null or "" => null,
        "host" or "private" => value,
        _ => throw new EngineException("--cgroupns: invalid CGROUP mode"),
    };

    internal static long? ParseMemory(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!ByteSize.TryParse(value, out var bytes) || bytes < 0)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"-m, --memory\" flag: invalid size: '{value}'");
        }

        // docker's daemon: "Minimum memory limit allowed is 6MB" (verifyPlatformContainerResources).
        if (bytes != 0 && bytes < 6 * 1024 * 1024)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Minimum memory limit allowed is 6MB");
        }

        return bytes == 0 ? null : bytes;
    }

    internal static long? ParseCpus(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var parsed = CpuQuota.TryParse(value, out var quota);
        if (parsed ? quota > Environment.ProcessorCount * (long)CpuQuota.Period : CpuQuota.IsPositiveNumber(value))
        {
            // The daemon's check (daemon/daemon_unix.go verifyPlatformContainerResources): 0.01 up to the host's CPUs.
            var cpus = Environment.ProcessorCount;
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available");
        }

        if (!parsed)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--cpus\" flag: failed to parse {value} as a rational number");
        }

        return quota;
    }

    internal static long? ParsePids(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var limit))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax");
        }

        return limit <= 0 ? null : limit;
    }

    private static string? ParseIp(string? value)
    {
        if (value is not null && !Ipv4.TryParse(value, out _))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--ip\" flag: invalid string being converted to IP address: {value}");
        }

        return value;
    }

    private static string[] ParseDns(string[] values)
    {
        foreach (var value in values)
        {
            if (!System.Net.IPAddress.TryParse(value, out _))
            {
                throw new EngineException($"invalid argument \"{value}\" for \"--dns\" flag: {value} is not an ip address");
            }
        }

        return values;
    }
}
