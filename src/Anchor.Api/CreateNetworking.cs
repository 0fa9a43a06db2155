using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Run;
using static Anchor.Api.CreateBody;

namespace Anchor.Api;

/// <summary>
/// POST /containers/create's NetworkingConfig.EndpointsConfig: the endpoint of the network the
/// container starts on (HostConfig.NetworkMode) gives its fixed address (IPAMConfig.IPv4Address, as
/// --ip) and its aliases (as --network-alias; docker-compose names each service this way). dockerd
/// takes one endpoint at create: more are refused as its API &lt; 1.44 did, and clients connect
/// further networks with POST /networks/{id}/connect.
/// </summary>
public static class CreateNetworking
{
    public static RunOptions Apply(JsonElement body, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!body.TryGetProperty("NetworkingConfig", out var networking) || networking.ValueKind != JsonValueKind.Object
            || !networking.TryGetProperty("EndpointsConfig", out var endpoints) || endpoints.ValueKind != JsonValueKind.Object)
        {
            return options;
        }

        var all = endpoints.EnumerateObject().ToList();
        if (all.Count == 0)
        {
            return options;
        }

        if (all.Count > 1)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter,
                $"Container cannot be connected to network endpoints: {string.Join(", ", all.Select(e => e.Name))}");
        }

        var endpoint = all[0].Value;
        var ip = endpoint.TryGetProperty("IPAMConfig", out var ipam) ? NullIfEmpty(Str(ipam, "IPv4Address")) : null;
        if (ip is not null && !Anchor.Engine.Networks.Ipv4.TryParse(ip, out _))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid IPv4 address: {ip}");
        }

        return options with
        {
            IpAddress = ip ?? options.IpAddress,
            NetworkAliases = [.. options.NetworkAliases, .. Strings(endpoint, "Aliases")],
        };
    }
}
