using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Devices;
using Anchor.Engine.Networks;
using Anchor.Engine.Run;
using static Anchor.Api.CreateBody;

namespace Anchor.Api;

/// <summary>
/// POST /containers/create's HostConfig (swagger HostConfig) onto <see cref="RunOptions"/>: every
/// field a `docker run` flag sets, checked by the same parsers as the CLI's flags and the same
/// daemon checks, so that a body the CLI could not have produced is refused as the flag would be.
/// Fields Anchor has no meaning for (Links, VolumeDriver, Isolation, StorageOpt, …) are ignored, as
/// dockerd ignores those that do not apply on its platform.
/// </summary>
public static class CreateHostConfig
{
    /// <summary>moby daemon/daemon_unix.go verifyPlatformContainerResources: "Minimum memory limit allowed is 6MB".</summary>
    private const long MinimumMemory = 6 * 1024 * 1024;

    public static RunOptions Apply(JsonElement host, JsonElement config, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var network = NetworkFlag.Parse(Str(host, "NetworkMode"));
        var capAdd = Strings(host, "CapAdd");
        var capDrop = Strings(host, "CapDrop");
        _ = CapabilitySet.Resolve(capAdd, capDrop); // unknown names are refused before anything is made
        var publish = PortBindings(host);
        var publishAll = Bool(host, "PublishAllPorts");
        if (network.Mode == NetworkMode.Host)
        {
            // dockerd drops them with a warning: the container already has the host's ports.
            (publish, publishAll) = ([], false);
        }

        var (driver, logOpts) = LogConfig(host);
        _ = Anchor.Engine.Logs.LogConfig.Parse(driver, logOpts);
        var applied = options with
        {
            Remove = Bool(host, "AutoRemove"),
            Network = network.Mode,
            NetworkName = network.Name,
            NetworkFlag = NullIfEmpty(Str(host, "NetworkMode")),
            Mounts = ApiMounts.All(host, config),
            TmpfsFlags = ApiMounts.TmpfsFlags(host),
            VolumesFrom = [.. Strings(host, "VolumesFrom").Select(Anchor.Engine.Volumes.VolumesFrom.Validate)],
            Restart = host.ValueKind == JsonValueKind.Object && host.TryGetProperty("RestartPolicy", out var r) && r.ValueKind == JsonValueKind.Object
                ? Restart(r)
                : RestartPolicy.No,
            MemoryBytes = Memory(host),
            MemorySwap = Long(host, "MemorySwap") is { } swap and not 0 ? swap : null,
            MemoryReservation = Long(host, "MemoryReservation") is > 0 and var reservation ? reservation : null,
            CpuQuota = CpuQuota(host),
            CpuShares = Long(host, "CpuShares") is { } shares and not 0 ? shares : null,
            CpusetCpus = NullIfEmpty(Str(host, "CpusetCpus")),
            CpusetMems = NullIfEmpty(Str(host, "CpusetMems")),
            BlkioWeight = Long(host, "BlkioWeight") is > 0 and <= ushort.MaxValue and var weight ? (ushort)weight : null,
            OomKillDisable = Bool(host, "OomKillDisable"),
            CgroupParent = NullIfEmpty(Str(host, "CgroupParent")),
            PidsLimit = Long(host, "PidsLimit") is > 0 and var pids ? pids : null,
            ReadOnly = Bool(host, "ReadonlyRootfs"),
            Privileged = Bool(host, "Privileged"),
            CapAdd = capAdd,
            CapDrop = capDrop,
            Dns = Strings(host, "Dns"),
            DnsSearch = Strings(host, "DnsSearch"),
            DnsOptions = Strings(host, "DnsOptions"),
            ExtraHosts = [.. Strings(host, "ExtraHosts").Select(ExtraHosts.Validate)],
            Publish = publish,
            PublishAll = publishAll,
            CgroupNs = CgroupNs(Str(host, "CgroupnsMode")),
            Devices = [.. Devices(host)],
            DeviceCgroupRules = [.. Strings(host, "DeviceCgroupRules").Select(DeviceCgroupRuleParser.Validate)],
            SecurityOpt = SecurityOpt(host, out var unmask),
            SystemPathsUnconfined = unmask,
            Ulimits = UlimitParser.ParseAll(Ulimits(host)),
            Sysctls = Map(host, "Sysctls") is { Count: > 0 } sysctls
                ? SysctlPolicy.ParseAll([.. sysctls.Select(s => $"{s.Key}={s.Value}")])
                : null,
            ShmSize = Long(host, "ShmSize") switch
            {
                null => 0,
                < 0 => throw Invalid("SHM size can not be less than 0"),
                var shm => shm.Value,
            },
            IpcMode = NamespaceModes.ParseIpc(NullIfEmpty(Str(host, "IpcMode"))),
            PidMode = NamespaceModes.ParsePid(NullIfEmpty(Str(host, "PidMode"))),
            UtsMode = NamespaceModes.ParseUts(NullIfEmpty(Str(host, "UTSMode"))),
            UsernsMode = UsernsMode(NullIfEmpty(Str(host, "UsernsMode"))),
            GroupAdd = Strings(host, "GroupAdd"),
            OomScoreAdj = OomScoreAdj(host),
            Init = host.ValueKind == JsonValueKind.Object && host.TryGetProperty("Init", out var init) && init.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? init.GetBoolean()
                : null,
            LogDriver = driver,
            LogOpts = logOpts,
            Runtime = NullIfEmpty(Str(host, "Runtime")),
        };

        // runconfig/hostconfig_unix.go: a host UTS namespace keeps the host's name.
        return applied.UtsMode == "host" && !string.IsNullOrEmpty(applied.Hostname)
            ? throw Invalid("conflicting options: hostname and the UTS mode")
            : applied;
    }

    private static long? Memory(JsonElement host)
    {
        var memory = Long(host, "Memory");
        return memory switch
        {
            null or 0 => null,
            < 0 => throw Invalid("Minimum memory limit allowed is 6MB"),
            < MinimumMemory => throw Invalid("Minimum memory limit allowed is 6MB"),
            _ => memory,
        };
    }

    /// <summary>
    /// NanoCpus (docker run --cpus) or CpuQuota over CpuPeriod, as a quota per Anchor's 100 ms period;
    /// dockerd refuses both at once ("Conflicting options: Nano CPUs and CPU Period cannot both be set").
    /// </summary>
    private static long? CpuQuota(JsonElement host)
    {
        var nano = Long(host, "NanoCpus") ?? 0;
        var quota = Long(host, "CpuQuota") ?? 0;
        var period = Long(host, "CpuPeriod") ?? 0;
        if (nano != 0 && (quota != 0 || period != 0))
        {
            throw Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }

        var cpus = Environment.ProcessorCount;
        if (nano < 0 || nano > cpus * 1_000_000_000L)
        {
            throw Invalid($"Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available");
        }

        if (nano > 0)
        {
            return nano * (long)Anchor.Engine.Units.CpuQuota.Period / 1_000_000_000L;
        }

        if (quota > 0)
        {
            // CFS: the share of one CPU is quota/period, whatever the period (sched-bwc.rst).
            var effectivePeriod = period > 0 ? period : (long)Anchor.Engine.Units.CpuQuota.Period;
            return quota * (long)Anchor.Engine.Units.CpuQuota.Period / effectivePeriod;
        }

        return null;
    }

    private static string? CgroupNs(string? mode) => mode switch
    {
        null or "" => null,
        "host" or "private" => mode,
        _ => throw Invalid($"invalid cgroup namespace mode: {mode}"),
    };

    private static IEnumerable<DeviceMapping> Devices(JsonElement host)
    {
        if (host.ValueKind != JsonValueKind.Object || !host.TryGetProperty("Devices", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var device in list.EnumerateArray())
        {
            var onHost = Str(device, "PathOnHost") ?? "";
            var inContainer = NullIfEmpty(Str(device, "PathInContainer")) ?? onHost;
            var permissions = NullIfEmpty(Str(device, "CgroupPermissions")) ?? "rwm";
            yield return DeviceMappingParser.Parse($"{onHost}:{inContainer}:{permissions}");
        }
    }

    /// <summary>The client has read seccomp=FILE already: the values are stored as they came.</summary>
    private static IReadOnlyList<string>? SecurityOpt(JsonElement host, out bool systemPathsUnconfined)
    {
        var given = Strings(host, "SecurityOpt");
        var (stored, unmask) = Anchor.Engine.Security.SecurityOpt.FromApi(given);
        systemPathsUnconfined = unmask;
        return stored;
    }

    private static List<string> Ulimits(JsonElement host)
    {
        var limits = new List<string>();
        if (host.ValueKind == JsonValueKind.Object && host.TryGetProperty("Ulimits", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var limit in list.EnumerateArray())
            {
                limits.Add($"{Str(limit, "Name")}={Long(limit, "Soft") ?? 0}:{Long(limit, "Hard") ?? 0}");
            }
        }

        return limits;
    }

    private static int OomScoreAdj(JsonElement host) =>
        Long(host, "OomScoreAdj") switch
        {
            null => 0,
            < -1000 or > 1000 => throw Invalid($"Invalid value {Long(host, "OomScoreAdj")}, range for oom score adj is [-1000, 1000]"),
            var value => (int)value.Value,
        };

    /// <summary>HostConfig.LogConfig {"Type": "json-file", "Config": {"max-size": "10m"}} as --log-driver/--log-opt.</summary>
    private static (string? Driver, IReadOnlyList<string> Options) LogConfig(JsonElement host)
    {
        if (host.ValueKind != JsonValueKind.Object || !host.TryGetProperty("LogConfig", out var log) || log.ValueKind != JsonValueKind.Object)
        {
            return (null, []);
        }

        var options = Map(log, "Config")?.Select(o => $"{o.Key}={o.Value}").ToList() ?? [];
        return (NullIfEmpty(Str(log, "Type")), options);
    }

    /// <summary>HostConfig.UsernsMode: host, or podman's auto[:size=N] (a 400 otherwise).</summary>
    private static string? UsernsMode(string? value)
    {
        try
        {
            return Engine.Userns.UserNamespaceSettings.ParseMode(value);
        }
        catch (EngineException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static EngineException Invalid(string message) => EngineException.Daemon(EngineErrorKind.InvalidParameter, message);
}
