using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Run;
using static Anchor.Api.CreateBody;

namespace Anchor.Api;

/// <summary>
/// POST /containers/create's NetworkingConfig.EndpointsConfig. The endpoint of the network the
/// container starts on (HostConfig.NetworkMode; the only one when there is one) gives its fixed
/// address (IPAMConfig.IPv4Address, as --ip) and its aliases (as --network-alias; docker-compose
/// names each service this way). Since API 1.44 the body may name more networks (docker's CLI sends
/// one per --network): those are connected once the container exists (<see cref="Extra"/>), as
/// `docker network connect` would, before the create answers.
/// </summary>
public static class CreateNetworking
{
    /// <summary>One further network to connect the new container to.</summary>
    public sealed record Endpoint(string Network, string? Ip, IReadOnlyList<string> Aliases);

    public static RunOptions Apply(JsonElement body, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (primary, _) = Split(body, options);
        if (primary is null)
        {
            return options;
        }

        return options with
        {
            IpAddress = primary.Ip ?? options.IpAddress,
            NetworkAliases = [.. options.NetworkAliases, .. primary.Aliases],
        };
    }

    /// <summary>The endpoints beyond the one the container starts on, in the body's order.</summary>
    public static IReadOnlyList<Endpoint> Extra(JsonElement body, RunOptions options) => Split(body, options).Extra;

    private static (Endpoint? Primary, IReadOnlyList<Endpoint> Extra) Split(JsonElement body, RunOptions options)
    {
        if (!body.TryGetProperty("NetworkingConfig", out var networking) || networking.ValueKind != JsonValueKind.Object
            || !networking.TryGetProperty("EndpointsConfig", out var endpoints) || endpoints.ValueKind != JsonValueKind.Object)
        {
            return (null, []);
        }

        var all = endpoints.EnumerateObject().Select(e => Read(e.Name, e.Value)).ToList();
        if (all.Count <= 1)
        {
            return (all.FirstOrDefault(), []);
        }

        // moby: with several endpoints, the one named by NetworkMode is the container's first.
        var mode = options.NetworkFlag is null or "default" ? "bridge" : options.NetworkFlag;
        var primary = all.FirstOrDefault(e => e.Network == mode || (mode == "bridge" && e.Network == "default"))
            ?? throw EngineException.Daemon(EngineErrorKind.InvalidParameter,
                $"Container cannot be connected to network endpoints: {string.Join(", ", all.Select(e => e.Network))}");
        if (options.Network != NetworkMode.Bridge)
        {
            // A container in the host's, none or another container's network namespace takes no other network.
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter,
                $"Container cannot be connected to network endpoints: {string.Join(", ", all.Select(e => e.Network))}");
        }

        return (primary, [.. all.Where(e => !ReferenceEquals(e, primary))]);
    }

    private static Endpoint Read(string network, JsonElement endpoint)
    {
        var ip = endpoint.ValueKind == JsonValueKind.Object && endpoint.TryGetProperty("IPAMConfig", out var ipam) ? NullIfEmpty(Str(ipam, "IPv4Address")) : null;
        if (ip is not null && !Anchor.Engine.Networks.Ipv4.TryParse(ip, out _))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid IPv4 address: {ip}");
        }

        return new Endpoint(network, ip, Strings(endpoint, "Aliases"));
    }
}
