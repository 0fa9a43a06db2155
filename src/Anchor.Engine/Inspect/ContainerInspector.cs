using Anchor.Engine.Containers;
using Anchor.Engine.Monitor;
using Anchor.Engine.Run;
using Anchor.Runtime;

namespace Anchor.Engine.Inspect;

/// <summary>Builds docker inspect's view of a container from its record and bundle.</summary>
public sealed class ContainerInspector(AnchorPaths paths)
{
    public ContainerInspectData Inspect(ContainerRecord stored)
    {
        var record = ProcessLiveness.Refresh(stored);
        var dir = paths.ContainerDirectory(record.Id);
        var files = new ContainerFiles(dir);
        var spec = File.Exists(Path.Combine(dir, Bundle.ConfigFile)) ? new Bundle(dir).Read() : null;
        var options = record.Options ?? new RunOptions { Image = record.Image };
        var args = record.Command.Count > 0 ? record.Command : InitProcess.UserCommand(spec?.Process.Args ?? []);
        var lower = spec?.Mounts.FirstOrDefault(m => m.Destination == "/")?.Options
            .FirstOrDefault(o => o.StartsWith("lowerdir=", StringComparison.Ordinal))?["lowerdir=".Length..] ?? "";
        return new ContainerInspectData
        {
            Id = record.Id,
            Created = record.Created,
            Path = args.Count > 0 ? args[0] : "",
            Args = args.Count > 1 ? args.Skip(1).ToList() : [],
            State = new ContainerStateData
            {
                Status = record.Status.ToString().ToLowerInvariant(),
                Running = record.Status is ContainerStatus.Running or ContainerStatus.Paused,
                Paused = record.Status == ContainerStatus.Paused,
                Restarting = record.Status == ContainerStatus.Restarting,
                OOMKilled = record.OomKilled,
                Dead = record.Status == ContainerStatus.Dead,
                Pid = record.Status is ContainerStatus.Running or ContainerStatus.Paused ? record.Pid : 0,
                ExitCode = record.ExitCode,
                Error = record.Error ?? "",
                StartedAt = record.StartedAt,
                FinishedAt = record.FinishedAt,
                Health = record.Health,
            },
            Image = record.ImageId,
            ResolvConfPath = files.ResolvConf,
            HostnamePath = files.Hostname,
            HostsPath = files.Hosts,
            LogPath = ContainerMonitor.LogPath(paths, record.Id),
            Name = "/" + record.Name,
            RestartCount = record.RestartCount,
            HostConfig = new HostConfigData
            {
                NetworkMode = NetworkModeName(options),
                LogType = options.LogDriver ?? "json-file",
                // docker's default name when the container runs on Anchor's own runtime.
                Runtime = options.Runtime ?? "runc",
                LogOptions = options.LogOpts,
                PortBindings = options.Publish,
                PublishAllPorts = options.PublishAll,
                Dns = options.Dns,
                DnsOptions = options.DnsOptions,
                DnsSearch = options.DnsSearch,
                ExtraHosts = options.ExtraHosts.Count > 0 ? options.ExtraHosts : null,
                RestartPolicy = new RestartPolicyData { Name = options.Restart.Name, MaximumRetryCount = options.Restart.MaximumRetryCount },
                AutoRemove = record.AutoRemove,
                ReadonlyRootfs = options.ReadOnly,
                SecurityOpt = options.SecurityOpt,
                Memory = options.MemoryBytes ?? 0,
                MemorySwap = options.MemorySwap ?? (options.MemoryBytes is { } m ? m * 2 : 0),
                NanoCpus = (options.CpuQuota ?? 0) * 10_000,
                PidsLimit = options.PidsLimit,
                // docker leaves both lists null for a privileged container (daemon/create_unix.go).
                MaskedPaths = options.Privileged ? null : spec?.Linux.MaskedPaths,
                ReadonlyPaths = options.Privileged ? null : spec?.Linux.ReadonlyPaths,
                Privileged = options.Privileged,
                Devices = options.Devices,
                DeviceCgroupRules = options.DeviceCgroupRules.Count > 0 ? options.DeviceCgroupRules : null,
                Tmpfs = InspectDefaults.Tmpfs(options.TmpfsFlags),
                IpcMode = options.IpcMode ?? "private",
                PidMode = options.PidMode ?? "",
                UTSMode = options.UtsMode ?? "",
                UsernsMode = options.UsernsMode ?? "",
                ShmSize = options.ShmSize > 0 ? options.ShmSize : ShmMounts.DefaultSize,
                GroupAdd = options.GroupAdd.Count > 0 ? options.GroupAdd : null,
                OomScoreAdj = options.OomScoreAdj,
                Ulimits = options.Ulimits,
                Sysctls = options.Sysctls,
                Init = options.Init,
                ContainerIDFile = options.CidFile ?? "",
                VolumesFrom = options.VolumesFrom.Count > 0 ? options.VolumesFrom : null,
                CpuShares = options.CpuShares ?? 0,
                CpusetCpus = options.CpusetCpus ?? "",
                CpusetMems = options.CpusetMems ?? "",
                MemoryReservation = options.MemoryReservation ?? 0,
                OomKillDisable = options.OomKillDisable,
                CgroupParent = options.CgroupParent ?? "",
                BlkioWeight = options.BlkioWeight ?? 0,
            },
            Mounts = MountPoints(record),
            NetworkSettings = NetworkSettings(record, options),
            GraphDriver = new GraphDriverData { LowerDir = lower, UpperDir = files.Upper, WorkDir = files.Work, MergedDir = files.Merged },
            Config = new ContainerConfigData
            {
                Hostname = spec?.Hostname ?? record.Id[..12],
                User = options.User ?? "",
                AttachStdin = AttachStreams.AttachesStdin(options) && !options.Detach,
                AttachStdout = AttachStreams.AttachesStdout(options) && !options.Detach,
                AttachStderr = AttachStreams.AttachesStderr(options) && !options.Detach,
                Tty = options.Tty,
                OpenStdin = options.Interactive,
                StdinOnce = options.Interactive && !options.Detach,
                ExposedPorts = record.ExposedPorts,
                Env = InspectDefaults.ConfigEnv(options.Env, ImageEnv(record), spec?.Process.Env),
                Cmd = options.Command.Count > 0 ? options.Command : null,
                Image = record.Image,
                WorkingDir = options.WorkingDir ?? spec?.Process.Cwd ?? "",
                Entrypoint = options.Entrypoint is { } e ? [e] : null,
                StopSignal = options.StopSignal,
                Domainname = options.Domainname ?? "",
                MacAddress = options.MacAddress,
                Healthcheck = record.Healthcheck,
                Labels = options.Labels,
                StopTimeout = options.StopTimeout,
            },
        };
    }

    /// <summary>The image's Env as the container was created from it; null when the image is gone.</summary>
    private IReadOnlyList<string>? ImageEnv(ContainerRecord record)
    {
        try
        {
            return string.IsNullOrEmpty(record.ImageId) ? null : new global::Anchor.Images.ImageStore(paths.Root).Find(record.ImageId, lazy: true)?.Config.Config?.Env ?? [];
        }
        catch (global::Anchor.Images.ImageException)
        {
            return null;
        }
    }

    /// <summary>docker's HostConfig.NetworkMode: --network as given ("default" when not given), container:NAME.</summary>
    private static string NetworkModeName(RunOptions options) => options.Network switch
    {
        NetworkMode.Bridge => options.NetworkFlag ?? (options.NetworkName is null or Networks.PredefinedNetworks.Bridge ? "default" : options.NetworkName),
        NetworkMode.Container => "container:" + options.NetworkName,
        _ => options.Network.ToString().ToLowerInvariant(),
    };

    /// <summary>Configured networks, with the live endpoint's address while the container runs.</summary>
    private NetworkSettingsData NetworkSettings(ContainerRecord record, RunOptions options)
    {
        var state = new Networks.NetworkStore(paths).Read();
        var running = record.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
        var endpoints = running ? state.Endpoints.Where(e => e.ContainerId == record.Id).ToList() : [];
        var networks = state.All().ToDictionary(n => n.Id);
        List<NetworkEndpointData> entries = [];
        if (options.Network is NetworkMode.None or NetworkMode.Host)
        {
            var name = options.Network == NetworkMode.None ? Networks.PredefinedNetworks.None : Networks.PredefinedNetworks.Host;
            entries.Add(new NetworkEndpointData { Name = name, NetworkID = Networks.NetworkIds.FromName(name) });
        }

        foreach (var attachment in record.Networks)
        {
            var endpoint = endpoints.FirstOrDefault(e => e.NetworkId == attachment.NetworkId);
            var network = networks.GetValueOrDefault(attachment.NetworkId);
            entries.Add(new NetworkEndpointData
            {
                Name = network?.Name ?? attachment.NetworkName,
                NetworkID = attachment.NetworkId,
                RequestedIp = attachment.IpAddress,
                EndpointID = endpoint?.Id ?? "",
                Gateway = endpoint is null ? "" : network?.Gateway ?? "",
                IPAddress = endpoint?.Address ?? "",
                IPPrefixLen = endpoint?.PrefixLength ?? 0,
                MacAddress = endpoint?.MacAddress ?? "",
                Aliases = attachment.Aliases.Count > 0 ? attachment.Aliases : null,
                DNSNames = network is { Predefined: false } ? [record.Name, .. attachment.Aliases, record.Id[..12]] : null,
            });
        }

        var published = endpoints.SelectMany(e => e.Ports).ToList();
        var keys = record.ExposedPorts.Concat(record.PortRequests.Select(p => p.PortKey)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var ports = running
            ? keys.Select(k => (k, (IReadOnlyList<Networks.PortBinding>)[.. published.Where(p => p.PortKey == k)])).ToList()
            : [];
        return new NetworkSettingsData
        {
            SandboxKey = running && record.Pid > 0 ? $"/proc/{record.Pid}/ns/net" : "",
            Networks = entries,
            Ports = ports,
        };
    }

    /// <summary>docker's types.MountPoint for each of the container's mounts: inspect's Mounts and the API's container list.</summary>
    public static IReadOnlyList<MountPointData> MountPoints(ContainerRecord record) =>
        record.Mounts.Select(m => new MountPointData
        {
            Type = m.Type,
            Name = m.Name,
            Source = m.Source,
            Destination = m.Destination,
            Driver = m.Type == "volume" ? "local" : null,
            Mode = m.Type == "bind" ? (m.ReadWrite ? "" : "ro") : "z",
            RW = m.ReadWrite,
            Propagation = m.Type == "bind" ? "rprivate" : "",
        }).ToList();
}
