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
        try
        {
            var options = new RunOptions
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
                MacAddress = Anchor.Engine.Run.MacAddress.Validate(NullIfEmpty(Str(body, "MacAddress"))),
                Healthcheck = Healthcheck(body),
                Detach = true,
            };
            return CreateNetworking.Apply(body, CreateHostConfig.Apply(host, body, options));
        }
        catch (Anchor.Engine.EngineException e) when (e.Kind == Anchor.Engine.EngineErrorKind.Internal)
        {
            // The CLI's flag parsers raise unclassified errors (the client refuses a bad flag); a
            // body that fails the same checks is the caller's bad parameter: 400, as dockerd's.
            throw new BadRequestException(e.Message);
        }
    }

    /// <summary>
    /// HostConfig.PortBindings ({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}) as `-p` specs, read
    /// by the CLI's own parser: the same checks and the same bindings as `run -p`.
    /// </summary>
    internal static List<Anchor.Engine.Networks.PortBinding> PortBindings(JsonElement host)
    {
        if (host.ValueKind != JsonValueKind.Object || !host.TryGetProperty("PortBindings", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var bindings = new List<Anchor.Engine.Networks.PortBinding>();
        foreach (var port in map.EnumerateObject())
        {
            var hosts = port.Value.ValueKind == JsonValueKind.Array ? [.. port.Value.EnumerateArray()] : new List<JsonElement>();
            foreach (var binding in hosts.Count == 0 ? [default] : hosts)
            {
                var ip = Str(binding, "HostIp") ?? "";
                var hostPort = Str(binding, "HostPort") ?? "";
                var spec = ip.Length > 0 ? $"{(ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip)}:{hostPort}:{port.Name}"
                    : hostPort.Length > 0 ? $"{hostPort}:{port.Name}" : port.Name;
                bindings.AddRange(Anchor.Engine.Networks.PortSpecParser.ParsePublish(spec));
            }
        }

        return bindings;
    }

    /// <summary>Config.Healthcheck as docker's CLI sends --health-* (durations in nanoseconds; Test ["NONE"] disables).</summary>
    private static Anchor.Oci.Image.HealthConfig? Healthcheck(JsonElement body)
    {
        if (!body.TryGetProperty("Healthcheck", out var h) || h.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new Anchor.Oci.Image.HealthConfig
        {
            Test = h.TryGetProperty("Test", out var t) && t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray().Select(e => e.GetString() ?? "")] : null,
            Interval = Long(h, "Interval") ?? 0,
            Timeout = Long(h, "Timeout") ?? 0,
            StartPeriod = Long(h, "StartPeriod") ?? 0,
            StartInterval = Long(h, "StartInterval") ?? 0,
            Retries = (int)(Long(h, "Retries") ?? 0),
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

    internal static RestartPolicy Restart(JsonElement policy)
    {
        var name = Str(policy, "Name");
        var count = policy.TryGetProperty("MaximumRetryCount", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        return string.IsNullOrEmpty(name) ? RestartPolicy.No
            : RestartPolicy.Parse(name == "on-failure" && count != 0 ? $"{name}:{count}" : name);
    }

    internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static bool Bool(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    internal static long? Long(JsonElement o, string name) =>
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
