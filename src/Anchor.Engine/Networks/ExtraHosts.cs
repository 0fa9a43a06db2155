using System.Net;

namespace Anchor.Engine.Networks;

/// <summary>--add-host HOST:IP (or HOST=IP), IP possibly the special host-gateway: docker's opts.ValidateExtraHost.</summary>
public static class ExtraHosts
{
    public const string HostGateway = "host-gateway";

    /// <summary>Checks one value as the CLI receives it; returns it in docker's stored form (HOST:IP).</summary>
    public static string Validate(string value)
    {
        var separator = value.IndexOfAny(['=', ':']);
        if (separator <= 0 || separator == value.Length - 1)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--add-host\" flag: bad format for add-host: \"{value}\"");
        }

        var address = value[(separator + 1)..].Trim('[', ']');
        if (address != HostGateway && !IPAddress.TryParse(address, out _))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--add-host\" flag: invalid IP address in add-host: \"{address}\"");
        }

        return value[..separator] + ":" + address;
    }

    /// <summary>The hosts-file entry; host-gateway becomes <paramref name="gateway"/> (the address the host has on the container's network).</summary>
    public static HostEntry ToEntry(string stored, string gateway)
    {
        var separator = stored.IndexOf(':', StringComparison.Ordinal);
        var address = stored[(separator + 1)..];
        return new HostEntry(address == HostGateway ? gateway : address, [stored[..separator]]);
    }
}
