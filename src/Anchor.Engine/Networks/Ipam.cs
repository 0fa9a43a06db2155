namespace Anchor.Engine.Networks;

/// <summary>
/// Address management for bridge networks, pure functions over what is already taken (the caller
/// holds the networks lock, so two anchor processes never see the same free address).
/// </summary>
public static class Ipam
{
    public const string PoolOverlaps = "invalid pool request: Pool overlaps with other one on this address space";

    /// <summary>
    /// Pools for networks created without --subnet, in order: 172.30/16 and 172.31/16 first (the default
    /// network has 172.29/16; docker's own daemon starts at 172.17), then the rest of docker's 172.18–28
    /// range, then docker's second pool, 192.168.0.0/16 in /20 steps.
    /// </summary>
    public static IEnumerable<Cidr> DefaultPools()
    {
        yield return new Cidr(Pack(172, 30, 0, 0), 16);
        yield return new Cidr(Pack(172, 31, 0, 0), 16);
        for (uint b = 18; b <= 28; b++)
        {
            yield return new Cidr(Pack(172, b, 0, 0), 16);
        }

        for (uint c = 0; c < 256; c += 16)
        {
            yield return new Cidr(Pack(192, 168, c, 0), 20);
        }
    }

    /// <summary>The first default pool that overlaps neither another network nor a subnet the host routes.</summary>
    public static Cidr NextSubnet(IEnumerable<Cidr> networks, IEnumerable<Cidr> hostRoutes)
    {
        var taken = networks.Concat(hostRoutes).ToList();
        foreach (var candidate in DefaultPools())
        {
            if (!taken.Any(candidate.Overlaps))
            {
                return candidate;
            }
        }

        throw EngineException.Daemon(EngineErrorKind.Forbidden, "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    /// <summary>An explicit --subnet may not overlap another network's (docker checks its own networks only).</summary>
    public static void CheckNoOverlap(Cidr subnet, IEnumerable<Cidr> networks)
    {
        if (networks.Any(subnet.Overlaps))
        {
            throw EngineException.Daemon(EngineErrorKind.Forbidden, PoolOverlaps);
        }
    }

    /// <summary>--gateway must be a host address inside the subnet; without it, the first host address.</summary>
    public static uint Gateway(Cidr subnet, string? requested)
    {
        if (requested is null)
        {
            return subnet.FirstHost;
        }

        if (!Ipv4.TryParse(requested, out var gateway))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid gateway address {requested}");
        }

        if (!subnet.Contains(gateway))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"no matching subnet for gateway {requested}");
        }

        return gateway;
    }

    /// <summary>The lowest free host address: never the network address, the gateway or the broadcast address.</summary>
    public static uint Allocate(Cidr subnet, uint gateway, IReadOnlySet<uint> used, string networkName, string networkId)
    {
        for (var address = subnet.FirstHost; address < subnet.Broadcast && address >= subnet.FirstHost; address++)
        {
            if (address != gateway && address != subnet.Network && !used.Contains(address))
            {
                return address;
            }
        }

        throw EngineException.Daemon(EngineErrorKind.Unavailable, $"no available IPv4 addresses on this network's address pools: {networkName} ({networkId})");
    }

    /// <summary>--ip: inside the subnet, not the network, gateway or broadcast address, not leased (libnetwork's wording).</summary>
    public static uint Request(Cidr subnet, uint gateway, IReadOnlySet<uint> used, string requested)
    {
        if (!Ipv4.TryParse(requested, out var address))
        {
            throw new EngineException($"invalid IPv4 address: {requested}");
        }

        if (!subnet.Contains(address) || address == subnet.Network || address == subnet.Broadcast)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid address {requested}: It does not belong to any of this network's subnets");
        }

        if (address == gateway || used.Contains(address))
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, "Address already in use");
        }

        return address;
    }

    /// <summary>docker's MAC for an IPv4 endpoint: 02:42 then the four bytes of the address.</summary>
    public static string MacAddress(uint address) =>
        $"02:42:{address >> 24:x2}:{(address >> 16) & 0xFF:x2}:{(address >> 8) & 0xFF:x2}:{address & 0xFF:x2}";

    private static uint Pack(uint a, uint b, uint c, uint d) => (a << 24) | (b << 16) | (c << 8) | d;
}
