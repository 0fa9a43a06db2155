using Anchor.Engine.Containers;
using Anchor.Engine.Run;

namespace Anchor.Engine.Networks;

/// <summary>
/// The networking lifecycle of containers, metadata side. Who calls what:
/// <list type="bullet">
/// <item><see cref="Plan"/>: create/run, before the record exists (unknown network, --ip, -p/-P checks).</item>
/// <item><see cref="Allocate"/>: every start, before the init runs: leases and host ports under the networks lock.</item>
/// <item><see cref="Release"/>: when the container stops (attached run's cleanup, the monitor's exit, rm): plumbing undone, leases freed.</item>
/// <item><see cref="ReclaimStale"/>: rm, network rm/prune and every allocation: leases of containers that died without cleanup.</item>
/// <item><see cref="Connect"/>/<see cref="Disconnect"/>: network connect/disconnect.</item>
/// </list>
/// </summary>
public sealed class NetworkAttachments(AnchorPaths paths, NetworkStore networks, ContainerStore containers, INetworkPlumbing plumbing, PortAllocator ports)
{
    public static NetworkAttachments For(AnchorPaths paths, ContainerStore containers) =>
        new(paths, new NetworkStore(paths), containers, NetworkPlumbing.Current, PortAllocator.ForHost());

    private NetworkHosts Hosts => new(paths, containers);

    /// <summary>
    /// Resolves --network to the networks the container will join and -p/-P to the ports it will
    /// publish, failing with docker's message before anything is created.
    /// </summary>
    public (IReadOnlyList<NetworkAttachment> Networks, IReadOnlyList<PortBinding> Ports) Plan(RunOptions options, IEnumerable<string> imageExposedPorts)
    {
        if (options.Network != NetworkMode.Bridge && options.IpAddress is not null)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "user specified IP address is supported on user defined networks only");
        }

        if (options.Network != NetworkMode.Bridge && options.NetworkAliases.Count > 0)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "network-scoped alias is supported only for containers in user defined networks");
        }

        switch (options.Network)
        {
            case NetworkMode.None when (options.Publish.Count > 0 || options.PublishAll) && !plumbing.IsWired:
                // Without the kernel side the default network is none: -p must not be dropped in silence.
                throw new EngineException(UnwiredPlumbing.Message);
            case NetworkMode.None:
            case NetworkMode.Host:
                // docker: published ports are discarded with host networking (the CLI warns) and meaningless without a network.
                return ([], []);
            case NetworkMode.Container:
                if (options.Publish.Count > 0 || options.PublishAll)
                {
                    throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "conflicting options: port publishing and the container type network mode");
                }

                containers.Find(options.NetworkName ?? "");
                return ([], []);
        }

        var state = networks.Read();
        // docker's create keeps the network's name; its start finds the network and takes the
        // address (moby daemon/container_operations.go connectToNetwork): those failures are the
        // start's, printed without the usage hint. Checked here all the same, before anything exists.
        NetworkRecord network;
        try
        {
            network = NetworkStore.Get(state, options.NetworkName ?? PredefinedNetworks.Bridge);
        }
        catch (EngineException e)
        {
            throw e.AtStart();
        }

        if (network.Predefined && options.IpAddress is not null)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "user specified IP address is supported on user defined networks only");
        }

        if (network.Predefined && options.NetworkAliases.Count > 0)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "network-scoped alias is supported only for containers in user defined networks");
        }

        if (options.IpAddress is { } ip)
        {
            // In use is checked when the lease is taken; outside the subnet can be said now.
            try
            {
                Ipam.Request(network.Cidr, Gateway(network), new HashSet<uint>(), ip);
            }
            catch (EngineException e)
            {
                throw e.AtStart();
            }
        }

        var published = options.Publish.ToList();
        if (options.PublishAll)
        {
            foreach (var key in imageExposedPorts.Concat(options.Expose).Distinct())
            {
                var (port, protocol) = PortSpecParser.ParsePortKey(key);
                if (!published.Any(p => p.ContainerPort == port && p.Protocol == protocol))
                {
                    published.Add(new PortBinding("", 0, port, protocol));
                }
            }
        }

        var attachment = new NetworkAttachment { NetworkId = network.Id, NetworkName = network.Name, Aliases = options.NetworkAliases, IpAddress = options.IpAddress };
        return ([attachment], published);
    }

    /// <summary>
    /// Leases an address on each of the container's networks and its host ports, in one transaction,
    /// then rewrites the hosts files of everyone on those networks. Nothing is leased if anything fails.
    /// </summary>
    public IReadOnlyList<EndpointRecord> Allocate(string containerId)
    {
        var container = containers.Get(containerId) ?? throw new EngineException($"No such container: {containerId}");
        var needsPlumbing = container.Networks.Count > 0 || container.Options?.Network == NetworkMode.Container;
        if (!needsPlumbing)
        {
            return [];
        }

        if (!plumbing.IsWired)
        {
            throw new EngineException(UnwiredPlumbing.Message);
        }

        ReclaimStale(IsAlive);
        var endpoints = networks.Modify(state =>
        {
            state.Endpoints.RemoveAll(e => e.ContainerId == containerId);
            var leased = new List<EndpointRecord>();
            for (var i = 0; i < container.Networks.Count; i++)
            {
                var endpoint = Lease(state, container, container.Networks[i], i == 0 ? container.PortRequests : [], i == 0 ? container.Options?.MacAddress : null);
                state.Endpoints.Add(endpoint);
                leased.Add(endpoint);
            }

            return leased;
        }, durable: false);
        RefreshHosts(endpoints.Select(e => e.NetworkId));
        return endpoints;
    }

    /// <summary>
    /// The kernel side's entry point at start: once the init exists (its PID names the network
    /// namespace) and before it is released, attach and publish every endpoint <see cref="Allocate"/>
    /// returned. On failure what was attached is detached again and the error propagates (the caller's
    /// cleanup then calls <see cref="Release"/>).
    /// </summary>
    public void Attach(string containerId, int pid, IReadOnlyList<EndpointRecord> endpoints)
    {
        if (endpoints.Count == 0)
        {
            return;
        }

        var container = containers.Get(containerId) ?? throw new EngineException($"No such container: {containerId}");
        var byId = networks.Read().All().ToDictionary(n => n.Id);
        var done = new List<(NetworkRecord Network, EndpointRecord Endpoint)>();
        try
        {
            foreach (var endpoint in endpoints)
            {
                var network = byId[endpoint.NetworkId];
                // The namespace is the start's own, made with lo only: the endpoints become eth0, eth1… in order.
                var index = done.Count;
                done.Add((network, endpoint));
                plumbing.Attach(container, pid, network, endpoint, index);
                if (endpoint.Ports.Count > 0)
                {
                    plumbing.Publish(network, endpoint);
                }
            }
        }
        catch
        {
            foreach (var (network, endpoint) in Enumerable.Reverse(done))
            {
                plumbing.Unpublish(network, endpoint);
                plumbing.Detach(network, endpoint);
            }

            throw;
        }
    }

    /// <summary>After a rename: the peers' hosts files name the container by its new name.</summary>
    public void RefreshPeers(string containerId) => RefreshHosts(networks.Read().Endpoints.Where(e => e.ContainerId == containerId).Select(e => e.NetworkId));

    /// <summary>The container's endpoints now (empty when it is not running).</summary>
    public IReadOnlyList<EndpointRecord> Endpoints(string containerId) => [.. networks.Read().Endpoints.Where(e => e.ContainerId == containerId)];

    /// <summary>Undoes the plumbing of the container's endpoints and frees their leases and host ports.</summary>
    public void Release(string containerId)
    {
        var state = networks.Read();
        if (!state.Endpoints.Any(e => e.ContainerId == containerId))
        {
            return;
        }

        var released = networks.Modify(s =>
        {
            var mine = s.Endpoints.Where(e => e.ContainerId == containerId).ToList();
            s.Endpoints.RemoveAll(e => e.ContainerId == containerId);
            return mine;
        }, durable: false);
        Undo(released, state, detach: false);
    }

    /// <summary>
    /// Frees the endpoints of containers that are gone or no longer alive (died without cleanup: a
    /// killed `anchor run`, a killed monitor). Returns what was freed.
    /// </summary>
    public IReadOnlyList<EndpointRecord> ReclaimStale(Func<ContainerRecord?, EndpointRecord, bool> isAlive)
    {
        var state = networks.Read();
        var stale = state.Endpoints.Where(e => !isAlive(containers.Get(e.ContainerId), e)).Select(e => e.Id).ToHashSet();
        if (stale.Count == 0)
        {
            return [];
        }

        var released = networks.Modify(s =>
        {
            var doomed = s.Endpoints.Where(e => stale.Contains(e.Id)).ToList();
            s.Endpoints.RemoveAll(e => stale.Contains(e.Id));
            return doomed;
        }, durable: false);
        Undo(released, state, detach: false);
        return released;
    }

    /// <summary>
    /// Reclaims what dead containers left in the kernel without a lease to show for it (veths and,
    /// with <paramref name="rules"/>, port rules: one nft listing): ps, rm, network rm/prune.
    /// </summary>
    public void SweepKernel(bool rules) => plumbing.Sweep(NetworkIds.StoreTag(paths.Root), () => networks.Read().Endpoints, rules);

    /// <summary>
    /// What a command that notices does (ps, rm, network rm/prune): stale leases, then kernel
    /// leftovers. Best effort and root only: cleaning up after others never fails the command.
    /// </summary>
    public void Reclaim(bool rules)
    {
        if (Anchor.Linux.Interop.LibC.geteuid() != 0)
        {
            return;
        }

        try
        {
            ReclaimStale(IsAlive);
            SweepKernel(rules);
        }
        catch (Exception e) when (e is EngineException or Anchor.Linux.LinuxException or IOException or UnauthorizedAccessException)
        {
            // The next command that notices tries again.
        }
    }

    /// <summary>
    /// Alive: the record says running (and its process is), or the process that leased the endpoint
    /// is still alive (a start between allocation and "running").
    /// </summary>
    public static bool IsAlive(ContainerRecord? container, EndpointRecord endpoint) =>
        (container is not null && ProcessLiveness.Refresh(container).Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)
        || (container is not null && endpoint.OwnerPid > 0 && ProcessLiveness.IsAlive(endpoint.OwnerPid));

    /// <summary>
    /// network connect: records the membership; on a running container also leases the address and
    /// attaches it (fails, leasing nothing, while the plumbing is not wired).
    /// </summary>
    public void Connect(string networkName, string containerName, string? ip, IReadOnlyList<string> aliases)
    {
        var container = ProcessLiveness.Refresh(containers.Find(containerName));
        var network = NetworkStore.Get(networks.Read(), networkName, 1);
        // moby runconfig's errors for namespaces that cannot take another network.
        if (container.Options?.Network == NetworkMode.Host || network.Name == PredefinedNetworks.Host)
        {
            throw EngineException.Daemon(EngineErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network", 1);
        }

        if (container.Options?.Network == NetworkMode.None || network.Name == PredefinedNetworks.None)
        {
            throw EngineException.Daemon(EngineErrorKind.Forbidden, "container cannot be connected to multiple networks with one of the networks in private (none) mode", 1);
        }

        if (container.Options?.Network == NetworkMode.Container)
        {
            throw EngineException.Daemon(EngineErrorKind.Forbidden, "container sharing network namespace with another container or host cannot be connected to any other network", 1);
        }

        if (container.Networks.Any(n => n.NetworkId == network.Id))
        {
            // libnetwork's ForbiddenError, reported by the daemon.
            throw EngineException.Daemon(EngineErrorKind.Forbidden, $"endpoint with name {container.Name} already exists in network {network.Name}", 1);
        }

        if (network.Predefined && (ip is not null || aliases.Count > 0))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "user specified IP address is supported on user defined networks only", 1);
        }

        if (ip is not null)
        {
            Ipam.Request(network.Cidr, Gateway(network), new HashSet<uint>(), ip);
        }

        var attachment = new NetworkAttachment { NetworkId = network.Id, NetworkName = network.Name, Aliases = aliases, IpAddress = ip };
        var running = container.Status is ContainerStatus.Running or ContainerStatus.Paused;
        if (running && !plumbing.IsWired)
        {
            throw new EngineException(UnwiredPlumbing.Message, 1);
        }

        if (!running)
        {
            containers.Modify(container.Id, r => r with { Networks = [.. r.Networks, attachment] });
            return;
        }

        var endpoint = networks.Modify(state =>
        {
            var leased = Lease(state, container, attachment, []);
            state.Endpoints.Add(leased);
            return leased;
        }, durable: false);
        try
        {
            plumbing.Attach(container, container.Pid, network, endpoint);
        }
        catch
        {
            networks.Modify(state => state.Endpoints.RemoveAll(e => e.Id == endpoint.Id), durable: false);
            plumbing.Detach(network, endpoint);
            throw;
        }

        containers.Modify(container.Id, r => r with { Networks = [.. r.Networks, attachment] });
        RefreshHosts([network.Id]);
        Events.EventLog.Emit(paths, Events.EventLog.Network(network.Id, network.Name, "connect", container.Id));
    }

    /// <summary>network disconnect: the membership goes; a running container's endpoint is detached and freed.</summary>
    public void Disconnect(string networkName, string containerName, bool force)
    {
        var state = networks.Read();
        var container = containers.Find(containerName);
        var network = NetworkStore.Get(state, networkName, 1);
        if (!container.Networks.Any(n => n.NetworkId == network.Id) && !force)
        {
            throw EngineException.Daemon(EngineErrorKind.Internal, $"container {container.Id} is not connected to network {network.Name}", 1);
        }

        var endpoints = networks.Modify(s =>
        {
            var mine = s.Endpoints.Where(e => e.ContainerId == container.Id && e.NetworkId == network.Id).ToList();
            s.Endpoints.RemoveAll(e => e.ContainerId == container.Id && e.NetworkId == network.Id);
            return mine;
        }, durable: false);
        containers.Modify(container.Id, r => r with { Networks = [.. r.Networks.Where(n => n.NetworkId != network.Id)] });
        Undo(endpoints, state, detach: true);
        Hosts.Write(containers.Get(container.Id) ?? container, networks.Read());
        Events.EventLog.Emit(paths, Events.EventLog.Network(network.Id, network.Name, "disconnect", container.Id));
    }

    /// <summary>
    /// Takes an address (the requested one or the lowest free) and, for the first network, the host
    /// ports and the --mac-address (docker gives it to the network named by --network only).
    /// </summary>
    private EndpointRecord Lease(NetworkState state, ContainerRecord container, NetworkAttachment attachment, IReadOnlyList<PortBinding> requestedPorts, string? macAddress = null)
    {
        var network = state.All().FirstOrDefault(n => n.Id == attachment.NetworkId)
            ?? throw EngineException.Daemon(EngineErrorKind.NotFound, $"network {attachment.NetworkName} not found");
        var subnet = network.Cidr;
        var gateway = Gateway(network);
        var used = state.Endpoints.Where(e => e.NetworkId == network.Id).Select(e => Ipv4.TryParse(e.Address, out var a) ? a : 0).ToHashSet();
        var address = attachment.IpAddress is { } ip ? Ipam.Request(subnet, gateway, used, ip) : Ipam.Allocate(subnet, gateway, used, network.Name, network.Id);
        var published = requestedPorts.Count == 0 ? [] : ports.Assign(requestedPorts, state.Endpoints.SelectMany(e => e.Ports), container.Name, state.PortCursors);
        string veth;
        do
        {
            veth = NetworkIds.NewVethName(NetworkIds.StoreTag(paths.Root));
        }
        while (state.Endpoints.Any(e => e.HostVethName == veth));

        return new EndpointRecord
        {
            Id = NetworkIds.New(),
            ContainerId = container.Id,
            NetworkId = network.Id,
            Address = Ipv4.Format(address),
            PrefixLength = subnet.PrefixLength,
            MacAddress = macAddress is null ? Ipam.MacAddress(address) : Run.MacAddress.Normalize(macAddress),
            Aliases = attachment.Aliases,
            HostVethName = veth,
            Ports = published,
            OwnerPid = Environment.ProcessId,
        };
    }

    /// <summary>
    /// Unpublishes the endpoints' ports and, with <paramref name="detach"/>, deletes their veths.
    /// Only a running container (disconnect) needs the delete: a stopped container's namespace takes
    /// its pairs with it (the kernel deletes them asynchronously), while an explicit delete waits for
    /// an RCU grace period (~20 ms) that every container exit would pay. What a namespace someone
    /// still holds keeps is found by <see cref="SweepKernel"/>.
    /// </summary>
    private void Undo(IEnumerable<EndpointRecord> released, NetworkState before, bool detach)
    {
        var byId = before.All().ToDictionary(n => n.Id);
        var touched = new HashSet<string>();
        foreach (var endpoint in released)
        {
            if (byId.TryGetValue(endpoint.NetworkId, out var network))
            {
                if (endpoint.Ports.Count > 0)
                {
                    plumbing.Unpublish(network, endpoint);
                }

                if (detach)
                {
                    plumbing.Detach(network, endpoint);
                }
            }

            touched.Add(endpoint.NetworkId);
        }

        RefreshHosts(touched);
    }

    private void RefreshHosts(IEnumerable<string> networkIds)
    {
        var state = networks.Read();
        foreach (var id in networkIds.Distinct())
        {
            Hosts.Refresh(id, state);
        }
    }

    private static uint Gateway(NetworkRecord network) => Ipv4.TryParse(network.Gateway, out var g) ? g : network.Cidr.FirstHost;
}
