using System.Text.Json;
using Anchor.Engine.Run;
using Anchor.Engine.Volumes;

namespace Anchor.Api;

/// <summary>
/// POST /containers/create's body (swagger ContainerConfig + HostConfig) as the engine's
/// <see cref="RunOptions"/>, with docker's defaults for absent fields. Read with JsonDocument:
/// no reflection, and unknown fields are ignored as Go's decoder ignores them.
/// </summary>
public static class CreateBody
{
    public static RunOptions Parse(JsonElement body, string? name)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("config cannot be empty in order to create a container");
        }

        var image = Str(body, "Image");
        if (string.IsNullOrEmpty(image))
        {
            throw new BadRequestException("No image specified");
        }

        var host = body.TryGetProperty("HostConfig", out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
        var (entrypoint, entrypointArgs) = Entrypoint(body);
        var network = NetworkFlag.Parse(Str(host, "NetworkMode"));
        var restart = host.ValueKind == JsonValueKind.Object && host.TryGetProperty("RestartPolicy", out var r) && r.ValueKind == JsonValueKind.Object
            ? Restart(r)
            : RestartPolicy.No;
        var memory = Long(host, "Memory");
        return new RunOptions
        {
            Image = image,
            Name = string.IsNullOrEmpty(name) ? null : name,
            Command = [.. entrypointArgs, .. Strings(body, "Cmd")],
            Entrypoint = entrypoint,
            Env = Strings(body, "Env"),
            Labels = Map(body, "Labels"),
            WorkingDir = NullIfEmpty(Str(body, "WorkingDir")),
            User = NullIfEmpty(Str(body, "User")),
            Hostname = NullIfEmpty(Str(body, "Hostname")),
            Domainname = NullIfEmpty(Str(body, "Domainname")),
            Tty = Bool(body, "Tty"),
            Interactive = Bool(body, "OpenStdin"),
            StopSignal = NullIfEmpty(Str(body, "StopSignal")),
            StopTimeout = body.TryGetProperty("StopTimeout", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null,
            Expose = body.TryGetProperty("ExposedPorts", out var ports) && ports.ValueKind == JsonValueKind.Object
                ? [.. ports.EnumerateObject().Select(p => p.Name)]
                : [],
            Remove = Bool(host, "AutoRemove"),
            Network = network.Mode,
            NetworkName = network.Name,
            NetworkFlag = NullIfEmpty(Str(host, "NetworkMode")),
            Mounts = [.. Strings(host, "Binds").Select(MountSpecParser.ParseVolume)],
            Restart = restart,
            MemoryBytes = memory is > 0 ? memory : null,
            ReadOnly = Bool(host, "ReadonlyRootfs"),
            Privileged = Bool(host, "Privileged"),
            CapAdd = Strings(host, "CapAdd"),
            CapDrop = Strings(host, "CapDrop"),
            Dns = Strings(host, "Dns"),
            ExtraHosts = Strings(host, "ExtraHosts"),
            PidsLimit = Long(host, "PidsLimit") is > 0 and var pids ? pids : null,
            Detach = true,
        };
    }

    /// <summary>
    /// Entrypoint is a string list (strslice: a bare string is one element); the engine keeps a
    /// program and puts the rest before Cmd, which is what the process runs either way. [""] clears
    /// the image's entrypoint (docker run --entrypoint "").
    /// </summary>
    private static (string? Program, IReadOnlyList<string> Args) Entrypoint(JsonElement body)
    {
        var list = Strings(body, "Entrypoint");
        return list.Count == 0 ? (null, []) : (list[0], list.Skip(1).ToList());
    }

    private static RestartPolicy Restart(JsonElement policy)
    {
        var name = Str(policy, "Name");
        var count = policy.TryGetProperty("MaximumRetryCount", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        return string.IsNullOrEmpty(name) ? RestartPolicy.No
            : RestartPolicy.Parse(name == "on-failure" && count != 0 ? $"{name}:{count}" : name);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static bool Bool(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static long? Long(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>A string list, or (strslice) one string as a list of one; null and absent are empty.</summary>
    internal static IReadOnlyList<string> Strings(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v))
        {
            return [];
        }

        return v.ValueKind switch
        {
            JsonValueKind.Array => [.. v.EnumerateArray().Select(e => e.GetString() ?? "")],
            JsonValueKind.String => [v.GetString()!],
            _ => [],
        };
    }

    internal static Dictionary<string, string>? Map(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : null;
}
