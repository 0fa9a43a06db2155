using System.Text.RegularExpressions;
using Anchor.Engine.Containers;

namespace Anchor.Engine.Networks;

/// <summary>The network verbs: create, ls, inspect, rm, prune (connect and disconnect are in <see cref="NetworkAttachments"/>).</summary>
public sealed partial class NetworkService(NetworkStore store, NetworkAttachments attachments, ContainerStore containers, INetworkPlumbing plumbing, Func<IReadOnlyList<Cidr>> hostRoutes)
{
    public static NetworkService For(AnchorPaths paths, ContainerStore containers) =>
        new(new NetworkStore(paths), NetworkAttachments.For(paths, containers), containers, NetworkPlumbing.Current, () => HostRoutes.Read());

    public NetworkRecord Create(NetworkCreateOptions options)
    {
        if (options.Driver != "bridge")
        {
            throw options.Driver is "host" or "null"
                ? EngineException.Daemon(EngineErrorKind.Forbidden, $"only one instance of \"{options.Driver}\" network is allowed")
                : EngineException.Daemon(EngineErrorKind.NotFound, $"plugin \"{options.Driver}\" not found");
        }

        if (!NamePattern().IsMatch(options.Name))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid network name \"{options.Name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        if (options.Gateway is not null && options.Subnet is null)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "every ip-range or gateway must have a corresponding subnet");
        }

        Cidr? requested = options.Subnet is null ? null : Cidr.Parse(options.Subnet);
        var routes = requested is null ? hostRoutes() : [];
        var created = store.Modify(state =>
        {
            if (state.All().Any(n => n.Name == options.Name))
            {
                throw EngineException.Daemon(EngineErrorKind.Conflict, $"network with name {options.Name} already exists");
            }

            var taken = state.All().Where(n => n.HasAddresses).Select(n => n.Cidr).ToList();
            Cidr subnet;
            if (requested is { } explicitSubnet)
            {
                Ipam.CheckNoOverlap(explicitSubnet, taken);
                subnet = explicitSubnet;
            }
            else
            {
                subnet = Ipam.NextSubnet(taken, routes);
            }

            var gateway = Ipam.Gateway(subnet, options.Gateway);
            var id = NetworkIds.New();
            var record = new NetworkRecord
            {
                Id = id,
                Name = options.Name,
                Subnet = subnet.ToString(),
                Gateway = Ipv4.Format(gateway),
                BridgeName = NetworkIds.BridgeName(id),
                Internal = options.Internal,
                Labels = options.Labels,
                Created = DateTimeOffset.UtcNow,
            };
            state.Networks.Add(record);
            return record;
        });
        Events.EventLog.Emit(containers.Paths, Events.EventLog.Network(created.Id, created.Name, "create"));
        return created;
    }

    public IReadOnlyList<NetworkRecord> List() => store.List();

    /// <summary>docker's "network X not found" with exit 1, as the verbs other than run print it.</summary>
    public NetworkRecord Get(string nameOrId) =>
        store.Find(nameOrId) ?? throw EngineException.Daemon(EngineErrorKind.NotFound, $"network {nameOrId} not found", 1);

    public IReadOnlyList<EndpointRecord> Endpoints(string networkId) => [.. store.Read().Endpoints.Where(e => e.NetworkId == networkId)];

    /// <summary>network rm: refuses predefined networks and networks with live endpoints (stale ones are reclaimed first).</summary>
    public void Remove(string nameOrId)
    {
        var network = Get(nameOrId);
        if (network.Predefined)
        {
            throw new EngineException($"{network.Name} is a pre-defined network and cannot be removed", 1);
        }

        attachments.Reclaim(rules: true);
        store.Modify(state =>
        {
            if (state.Endpoints.Any(e => e.NetworkId == network.Id))
            {
                throw new EngineException($"error while removing network: network {network.Name} id {network.Id} has active endpoints", 1);
            }

            state.Networks.RemoveAll(n => n.Id == network.Id);
            return true;
        });
        plumbing.RemoveNetwork(network);
        Events.EventLog.Emit(containers.Paths, Events.EventLog.Network(network.Id, network.Name, "destroy"));

        // Stopped containers keep the membership, as in docker: starting them says the network is gone.
    }

    /// <summary>network prune: every user network without endpoints; returns their names.</summary>
    public IReadOnlyList<string> Prune() => Prune(null);

    /// <summary>network prune --filter until=/label=/label!=.</summary>
    public IReadOnlyList<string> Prune(Filters.PruneFilter? filter)
    {
        attachments.Reclaim(rules: true);
        var removed = store.Modify(state =>
        {
            var unused = state.Networks.Where(n => !state.Endpoints.Any(e => e.NetworkId == n.Id) && (filter is null || filter.Matches(n.Created, n.Labels))).ToList();
            state.Networks.RemoveAll(unused.Contains);
            return unused;
        });
        foreach (var network in removed)
        {
            plumbing.RemoveNetwork(network);
            Events.EventLog.Emit(containers.Paths, Events.EventLog.Network(network.Id, network.Name, "destroy"));
        }

        return [.. removed.Select(n => n.Name)];
    }

    /// <summary>The containers attached to a network now (docker's Containers map), with their names.</summary>
    public IReadOnlyList<(EndpointRecord Endpoint, string Name)> Members(string networkId) =>
        [.. Endpoints(networkId).Select(e => (e, containers.Get(e.ContainerId)?.Name ?? ""))];

    // moby: config.RestrictedNamePattern.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();
}
