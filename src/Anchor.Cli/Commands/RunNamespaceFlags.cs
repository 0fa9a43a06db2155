using System.CommandLine;
using System.Globalization;
using Anchor.Engine;
using Anchor.Engine.Run;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary>
/// run/create's namespace, limit and identity flags (docker/cli container/opts.go): --ulimit,
/// --sysctl, --shm-size, --ipc, --pid, --uts, --domainname, --group-add, --oom-score-adj,
/// --mac-address, and podman's --userns, --uidmap, --gidmap. Parsed and checked here with docker's words; exit 125 on any error.
/// </summary>
public static class RunNamespaceFlags
{
    private static readonly Option<string[]> UlimitOption = new("--ulimit") { Description = "Ulimit options" };
    private static readonly Option<string[]> Sysctl = new("--sysctl") { Description = "Sysctl options" };
    private static readonly Option<string?> ShmSize = new("--shm-size") { Description = "Size of /dev/shm" };
    private static readonly Option<string?> Ipc = new("--ipc") { Description = "IPC mode to use" };
    private static readonly Option<string?> Pid = new("--pid") { Description = "PID namespace to use" };
    private static readonly Option<string?> Uts = new("--uts") { Description = "UTS namespace to use" };
    private static readonly Option<string?> Domainname = new("--domainname") { Description = "Container NIS domain name" };
    private static readonly Option<string[]> GroupAdd = new("--group-add") { Description = "Add additional groups to join" };
    private static readonly Option<string?> OomScoreAdj = new("--oom-score-adj") { Description = "Tune host's OOM preferences (-1000 to 1000)" };
    private static readonly Option<string?> Userns = new("--userns") { Description = "User namespace to use (host, auto, auto:size=N)" };
    private static readonly Option<string[]> UidMap = new("--uidmap") { Description = "UID map for the user namespace (CONTAINER:HOST:SIZE)" };
    private static readonly Option<string[]> GidMap = new("--gidmap") { Description = "GID map for the user namespace (CONTAINER:HOST:SIZE)" };
    private static readonly Option<string?> MacAddressOption = new("--mac-address") { Description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)" };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { UlimitOption, Sysctl, ShmSize, Ipc, Pid, Uts, Domainname, GroupAdd, OomScoreAdj, MacAddressOption, Userns, UidMap, GidMap })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options with these flags applied, in docker's order of checks (client first, then the daemon's).</summary>
    public static RunOptions Apply(ParseResult result, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var applied = options with
        {
            Ulimits = UlimitParser.ParseAll(result.GetValue(UlimitOption) ?? []),
            Sysctls = SysctlPolicy.ParseAll(result.GetValue(Sysctl) ?? []),
            ShmSize = ParseShmSize(result.GetValue(ShmSize)),
            IpcMode = NamespaceModes.ParseIpc(result.GetValue(Ipc)),
            PidMode = NamespaceModes.ParsePid(result.GetValue(Pid)),
            UtsMode = NamespaceModes.ParseUts(result.GetValue(Uts)),
            Domainname = result.GetValue(Domainname),
            GroupAdd = result.GetValue(GroupAdd) ?? [],
            OomScoreAdj = ParseOomScoreAdj(result.GetValue(OomScoreAdj)),
            MacAddress = MacAddress.Validate(result.GetValue(MacAddressOption)),
            UsernsMode = Engine.Userns.UserNamespaceSettings.ParseMode(result.GetValue(Userns)),
            UidMaps = result.GetValue(UidMap) ?? [],
            GidMaps = result.GetValue(GidMap) ?? [],
        };

        // The daemon's check (runconfig/hostconfig_unix.go): a host UTS namespace keeps the host's name.
        return applied.UtsMode == "host" && !string.IsNullOrEmpty(applied.Hostname)
            ? throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "conflicting options: hostname and the UTS mode")
            : applied;
    }

    /// <summary>docker's MemBytes flag (go-units RAMInBytes); 0 keeps the daemon's default.</summary>
    public static long ParseShmSize(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        if (value.TrimStart().StartsWith('-') || !ByteSize.TryParse(value, out var bytes))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--shm-size\" flag: invalid size: '{value}'");
        }

        return bytes;
    }

    /// <summary>An int flag (strconv.ParseInt's words), then the daemon's range check.</summary>
    public static int ParseOomScoreAdj(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number is < int.MinValue or > int.MaxValue)
        {
            var reason = value.Length > 0 && value.TrimStart('-', '+').Length > 0 && value.TrimStart('-', '+').All(char.IsAsciiDigit) ? "value out of range" : "invalid syntax";
            throw new EngineException($"invalid argument \"{value}\" for \"--oom-score-adj\" flag: strconv.ParseInt: parsing \"{value}\": {reason}");
        }

        return number is < -1000 or > 1000
            ? throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid value {number}, range for oom score adj is [-1000, 1000]")
            : (int)number;
    }
}
