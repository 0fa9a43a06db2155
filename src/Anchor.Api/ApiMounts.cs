using System.Globalization;
using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Volumes;
using static Anchor.Api.CreateBody;

namespace Anchor.Api;

/// <summary>
/// The four places a create body names mounts, as the engine's <see cref="MountSpec"/>s:
/// HostConfig.Binds (-v), HostConfig.Mounts (--mount, structured), HostConfig.Tmpfs (--tmpfs) and
/// Config.Volumes (the anonymous volumes of `-v /path`, and what docker-compose sends for an image's
/// VOLUMEs). Binds and Tmpfs go through the CLI's own parsers; Mounts get the daemon's checks
/// (moby volume/mounts/validate.go) with its wording.
/// </summary>
public static class ApiMounts
{
    public static IReadOnlyList<MountSpec> All(JsonElement host, JsonElement config)
    {
        var mounts = new List<MountSpec>();
        mounts.AddRange(Strings(host, "Binds").Select(MountSpecParser.ParseVolume));
        mounts.AddRange(Structured(host));
        mounts.AddRange(TmpfsFlags(host).Select(MountSpecParser.ParseTmpfs));
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("Volumes", out var volumes) && volumes.ValueKind == JsonValueKind.Object)
        {
            // An anonymous volume where nothing else is mounted (daemon/create.go: binds win).
            foreach (var volume in volumes.EnumerateObject())
            {
                var anonymous = MountSpecParser.ParseVolume(volume.Name);
                if (!mounts.Any(m => m.Target == anonymous.Target))
                {
                    mounts.Add(anonymous);
                }
            }
        }

        return mounts;
    }

    /// <summary>HostConfig.Tmpfs {"/run": "rw,size=64m"} as --tmpfs values, in the map's order.</summary>
    public static IReadOnlyList<string> TmpfsFlags(JsonElement host) =>
        Map(host, "Tmpfs")?.Select(t => t.Value.Length > 0 ? $"{t.Key}:{t.Value}" : t.Key).ToList() ?? [];

    private static IEnumerable<MountSpec> Structured(JsonElement host)
    {
        if (host.ValueKind != JsonValueKind.Object || !host.TryGetProperty("Mounts", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var mount in list.EnumerateArray())
        {
            yield return One(mount);
        }
    }

    private static MountSpec One(JsonElement mount)
    {
        var type = Str(mount, "Type") ?? "";
        var source = NullIfEmpty(Str(mount, "Source"));
        var target = Str(mount, "Target") ?? "";
        if (type is not (MountSpec.Bind or MountSpec.Volume or MountSpec.Tmpfs))
        {
            throw Invalid($"mount type unknown: \"{type}\"");
        }

        if (target.Length == 0)
        {
            throw Invalid($"invalid mount config for type \"{type}\": field Target must not be empty");
        }

        if (!target.StartsWith('/'))
        {
            throw Invalid($"invalid mount config for type \"{type}\": invalid mount path: '{target}' mount path must be absolute");
        }

        var tmpfs = new List<string>();
        switch (type)
        {
            case MountSpec.Bind:
                if (source is null)
                {
                    throw Invalid("invalid mount config for type \"bind\": field Source must not be empty");
                }

                if (!source.StartsWith('/'))
                {
                    throw Invalid($"invalid mount config for type \"bind\": invalid mount path: '{source}' mount path must be absolute");
                }

                if (!Path.Exists(source))
                {
                    throw Invalid($"invalid mount config for type \"bind\": bind source path does not exist: {source}");
                }

                break;
            case MountSpec.Tmpfs:
                if (source is not null)
                {
                    throw Invalid("invalid mount config for type \"tmpfs\": field Source must be empty");
                }

                if (mount.TryGetProperty("TmpfsOptions", out var options) && options.ValueKind == JsonValueKind.Object)
                {
                    if (Long(options, "SizeBytes") is > 0 and var size)
                    {
                        tmpfs.Add(string.Create(CultureInfo.InvariantCulture, $"size={size}"));
                    }

                    if (Long(options, "Mode") is > 0 and var mode)
                    {
                        tmpfs.Add("mode=" + Convert.ToString(mode, 8));
                    }
                }

                break;
            default:
                if (source is not null && !MountSpecParser.VolumeName().IsMatch(source))
                {
                    throw Invalid($"invalid mount config for type \"volume\": invalid volume name \"{source}\"");
                }

                break;
        }

        var noCopy = mount.TryGetProperty("VolumeOptions", out var volume) && Bool(volume, "NoCopy");
        var readOnly = Bool(mount, "ReadOnly");
        return new MountSpec(type, source, target.Length > 1 ? target.TrimEnd('/') : target, readOnly, tmpfs, noCopy);
    }

    private static EngineException Invalid(string message) => EngineException.Daemon(EngineErrorKind.InvalidParameter, message);
}
