using System.Text.RegularExpressions;

namespace Anchor.Engine.Volumes;

/// <summary>
/// -v, --mount and --tmpfs as docker reads them (docker run reference, "Mount volume", "Add bind
/// mounts or volumes using the --mount flag", "Mount tmpfs"). docker's CLI only splits --mount's
/// fields; the daemon checks -v, the mount's type and its bind source (moby volume/mounts
/// linux_parser.go), so those failures are the daemon's.
/// </summary>
public static partial class MountSpecParser
{
    /// <summary>-v [SOURCE:]TARGET[:OPTIONS]: an absolute source is a bind, a name a volume, none an anonymous volume.</summary>
    public static MountSpec ParseVolume(string value)
    {
        var parts = value.Split(':');
        string? source = null;
        string target;
        var options = "";
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2 when parts[1].StartsWith('/'):
                (source, target) = (parts[0], parts[1]);
                break;
            case 2:
                (target, options) = (parts[0], parts[1]);
                break;
            case 3:
                (source, target, options) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw Invalid($"invalid volume specification: '{value}'");
        }

        if (!target.StartsWith('/'))
        {
            throw Invalid($"invalid volume specification: '{value}': invalid mount config for type \"volume\": invalid mount path: '{target}' mount path must be absolute");
        }

        var readOnly = false;
        foreach (var option in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            readOnly = option switch
            {
                "ro" => true,
                "rw" => false,
                "z" or "Z" or "rprivate" or "private" or "rslave" or "slave" or "rshared" or "shared" or "nocopy" => readOnly,
                _ => throw Invalid($"invalid mode: {option}"),
            };
        }

        if (source is not null && !source.StartsWith('/') && !VolumeName().IsMatch(source))
        {
            throw Invalid($"create {source}: \"{source}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        }

        var type = source is not null && source.StartsWith('/') ? MountSpec.Bind : MountSpec.Volume;
        return new MountSpec(type, source, Clean(target), readOnly, []);
    }

    /// <summary>--mount type=bind|volume|tmpfs,source=…,target=…[,readonly][,tmpfs-size=…][,tmpfs-mode=…].</summary>
    public static MountSpec ParseMount(string value)
    {
        string type = MountSpec.Volume;
        string? source = null;
        string? target = null;
        var readOnly = false;
        var tmpfs = new List<string>();
        foreach (var field in value.Split(','))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var val = eq < 0 ? null : field[(eq + 1)..];
            switch (key)
            {
                case "type": type = val ?? ""; break;
                case "source" or "src": source = val; break;
                case "target" or "destination" or "dst": target = val; break;
                case "readonly" or "ro": readOnly = val is null or "1" or "true"; break;
                case "tmpfs-size": tmpfs.Add($"size={val}"); break;
                case "tmpfs-mode": tmpfs.Add($"mode={val}"); break;
                case "bind-propagation" or "consistency" or "volume-nocopy": break;
                default: throw new EngineException($"invalid argument \"{value}\" for \"--mount\" flag: unexpected key '{key}' in '{field}'");
            }
        }

        if (type is not (MountSpec.Bind or MountSpec.Volume or MountSpec.Tmpfs))
        {
            throw Invalid($"invalid mount config for type \"{type}\": mount type unknown");
        }

        if (target is null || !target.StartsWith('/'))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--mount\" flag: target is required and must be an absolute path");
        }

        if (type == MountSpec.Bind && (source is null || !source.StartsWith('/')))
        {
            throw Invalid($"invalid mount config for type \"bind\": invalid mount path: '{source}' mount path must be absolute");
        }

        if (type == MountSpec.Bind && !Path.Exists(source))
        {
            throw Invalid($"invalid mount config for type \"bind\": bind source path does not exist: {source}");
        }

        return new MountSpec(type, source, Clean(target), readOnly, tmpfs);
    }

    /// <summary>--tmpfs /path[:opt,opt]: docker's defaults are rw,nosuid,nodev,noexec.</summary>
    public static MountSpec ParseTmpfs(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var target = colon < 0 ? value : value[..colon];
        if (!target.StartsWith('/'))
        {
            throw new EngineException($"invalid tmpfs specification: '{value}': mount path must be absolute");
        }

        var options = colon < 0 ? [] : value[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new MountSpec(MountSpec.Tmpfs, null, Clean(target), options.Contains("ro"), options.Where(o => o is not ("ro" or "rw")).ToList());
    }

    private static EngineException Invalid(string message) => EngineException.Daemon(EngineErrorKind.InvalidParameter, message);

    private static string Clean(string target) => target.Length > 1 ? target.TrimEnd('/') : target;

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    public static partial Regex VolumeName();
}
