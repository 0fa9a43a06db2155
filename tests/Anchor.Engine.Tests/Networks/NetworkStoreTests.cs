using Anchor.Engine.Containers;
using Anchor.Engine.Networks;
using Anchor.Engine.Run;

namespace Anchor.Engine.Tests.Networks;

/// <summary>The store, the verbs and the container lifecycle hooks against a temporary root.</summary>
public sealed class NetworkStoreTests : IDisposable
{
    private readonly AnchorPaths _paths;
    private readonly ContainerStore _containers;
    private readonly FakePlumbing _plumbing = new();

    public NetworkStoreTests()
    {
        var dir = Directory.CreateTempSubdirectory("anchor-net-").FullName;
        _paths = new AnchorPaths(Path.Combine(dir, "root"), Path.Combine(dir, "run"));
        _containers = new ContainerStore(_paths);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_paths.Root)!, recursive: true);

    private NetworkAttachments Attachments(INetworkPlumbing? plumbing = null, PortAllocator? ports = null) =>
        new(_paths, new NetworkStore(_paths), _containers, plumbing ?? _plumbing, ports ?? new PortAllocator(_ => true, (41000, 41099)));

    private NetworkService Service() => new(new NetworkStore(_paths), Attachments(), _containers, _plumbing, () => [Cidr.Parse("172.30.0.0/16")]);

    [Fact]
    public void List_EmptyStore_HasThePredefinedNetworks()
    {
        var networks = Service().List();
        Assert.Equal(["bridge", "host", "none"], networks.Select(n => n.Name));
        Assert.Equal("anchor0", networks[0].BridgeName);
        Assert.Equal("172.29.0.0/16", networks[0].Subnet);
        Assert.Equal(["bridge", "host", "null"], networks.Select(n => n.Driver));
    }

    [Fact]
    public void Create_WithoutSubnet_SkipsHostRoutesAndOtherNetworks()
    {
        var first = Service().Create(new NetworkCreateOptions { Name = "a" });
        var second = Service().Create(new NetworkCreateOptions { Name = "b" });
        Assert.Equal("172.31.0.0/16", first.Subnet); // 172.30/16 is a host route here
        Assert.Equal("172.31.0.1", first.Gateway);
        Assert.Equal("172.18.0.0/16", second.Subnet);
        Assert.Equal("anc-" + first.Id[..11], first.BridgeName);
        Assert.True(first.BridgeName.Length <= 15);
        Assert.Matches("^[0-9a-f]{64}$", first.Id);
    }

    [Fact]
    public void Create_Duplicates_AreRefused()
    {
        var service = Service();
        service.Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        Assert.Equal("Error response from daemon: network with name appnet already exists",
            Assert.Throws<EngineException>(() => service.Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.78.0.0/24" })).Shown());
        Assert.Contains("Pool overlaps", Assert.Throws<EngineException>(() => service.Create(new NetworkCreateOptions { Name = "x", Subnet = "10.77.0.0/16" })).Message, StringComparison.Ordinal);
        Assert.Contains("Pool overlaps", Assert.Throws<EngineException>(() => service.Create(new NetworkCreateOptions { Name = "y", Subnet = "172.29.5.0/24" })).Message, StringComparison.Ordinal);
        Assert.Throws<EngineException>(() => service.Create(new NetworkCreateOptions { Name = "host" }));
        Assert.Throws<EngineException>(() => service.Create(new NetworkCreateOptions { Name = "z", Driver = "host" }));
        Assert.Equal(4, service.List().Count);
    }

    [Fact]
    public void Remove_Predefined_IsRefused()
    {
        var e = Assert.Throws<EngineException>(() => Service().Remove("bridge"));
        Assert.Equal("bridge is a pre-defined network and cannot be removed", e.Message);
    }

    [Fact]
    public void Allocate_TwoContainers_GetConsecutiveAddressesAndRelease()
    {
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var a = Running("ca", network);
        var b = Running("cb", network);
        var attachments = Attachments();
        var first = Assert.Single(attachments.Allocate(a.Id));
        var second = Assert.Single(attachments.Allocate(b.Id));
        Assert.Equal("10.77.0.2", first.Address);
        Assert.Equal("10.77.0.3", second.Address);
        Assert.Equal("02:42:0a:4d:00:02", first.MacAddress);
        Assert.Matches("^av[0-9a-f]{10}$", first.HostVethName);
        Assert.NotEqual(first.HostVethName, second.HostVethName);
        attachments.Release(a.Id);
        // A stopped container's namespace took its veth with it: release frees the lease, deletes nothing.
        Assert.DoesNotContain("detach 10.77.0.2", _plumbing.Calls);
        var c = Running("cc", network);
        Assert.Equal("10.77.0.2", Assert.Single(attachments.Allocate(c.Id)).Address);
    }

    [Fact]
    public void Allocate_WritesPeersIntoHostsFiles_ReleaseRemovesThem()
    {
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var web = Running("web", network, aliases: ["api"]);
        var db = Running("db", network);
        var attachments = Attachments();
        attachments.Allocate(web.Id);
        attachments.Allocate(db.Id);
        var webHosts = File.ReadAllText(new ContainerFiles(_paths.ContainerDirectory(web.Id)).Hosts);
        var dbHosts = File.ReadAllText(new ContainerFiles(_paths.ContainerDirectory(db.Id)).Hosts);
        Assert.Contains($"10.77.0.3\tdb {db.Id[..12]}\n", webHosts, StringComparison.Ordinal);
        Assert.Contains($"10.77.0.2\tweb api {web.Id[..12]}\n", dbHosts, StringComparison.Ordinal);
        _containers.Rename(db.Id, "database");
        attachments.RefreshPeers(db.Id);
        Assert.Contains($"10.77.0.3\tdatabase {db.Id[..12]}\n", File.ReadAllText(new ContainerFiles(_paths.ContainerDirectory(web.Id)).Hosts), StringComparison.Ordinal);
        attachments.Release(db.Id);
        Assert.DoesNotContain("10.77.0.3", File.ReadAllText(new ContainerFiles(_paths.ContainerDirectory(web.Id)).Hosts), StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_RequestedIpInUse_FailsAndLeasesNothing()
    {
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var attachments = Attachments();
        attachments.Allocate(Running("ca", network, ip: "10.77.0.9").Id);
        var b = Running("cb", network, ip: "10.77.0.9");
        Assert.Equal("Error response from daemon: Address already in use", Assert.Throws<EngineException>(() => attachments.Allocate(b.Id)).Shown());
        Assert.Empty(attachments.Endpoints(b.Id));
    }

    [Fact]
    public void Allocate_HostPortTaken_SaysWhichAndLeasesNothing()
    {
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var attachments = Attachments();
        var web = Running("web", network, ports: [new PortBinding("", 8080, 80, "tcp"), new PortBinding("", 0, 443, "tcp")]);
        var endpoint = Assert.Single(attachments.Allocate(web.Id));
        Assert.Equal(8080, endpoint.Ports[0].HostPort);
        Assert.InRange(endpoint.Ports[1].HostPort, 41000, 41099);
        var other = Running("other", network, ports: [new PortBinding("", 8080, 80, "tcp")]);
        var e = Assert.Throws<EngineException>(() => attachments.Allocate(other.Id));
        Assert.Contains("Bind for 0.0.0.0:8080 failed: port is already allocated", e.Message, StringComparison.Ordinal);
        Assert.Empty(attachments.Endpoints(other.Id));
    }

    [Fact]
    public void Attach_PublishesEndpointsWithPorts_UndoesOnFailure()
    {
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var web = Running("web", network, ports: [new PortBinding("", 8080, 80, "tcp")]);
        var endpoints = Attachments().Allocate(web.Id);
        Attachments().Attach(web.Id, 1234, endpoints);
        Assert.Equal(["attach appnet 10.77.0.2 eth0", $"publish {endpoints[0].HostVethName}"], _plumbing.Calls);

        var failing = new FakePlumbing(failAttach: true);
        Assert.Throws<EngineException>(() => Attachments(failing).Attach(web.Id, 1234, endpoints));
        Assert.Equal(["attach appnet 10.77.0.2 eth0", "unpublish 10.77.0.2", "detach 10.77.0.2"], failing.Calls);
    }

    [Fact]
    public void Allocate_Unwired_RefusesBridgeNetworksLeavesNothing()
    {
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var a = Running("ca", network);
        var e = Assert.Throws<EngineException>(() => Attachments(UnwiredPlumbing.Instance).Allocate(a.Id));
        Assert.Equal(UnwiredPlumbing.Message, e.Message);
        Assert.Empty(new NetworkStore(_paths).Read().Endpoints);
    }

    [Fact]
    public void Remove_InUse_RefusedUntilReleased()
    {
        var service = Service();
        var network = service.Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var a = Running("ca", network);
        Attachments().Allocate(a.Id);
        var e = Assert.Throws<EngineException>(() => service.Remove("appnet"));
        Assert.Equal($"error while removing network: network appnet id {network.Id} has active endpoints", e.Message);
        Assert.Empty(service.Prune());
        Attachments().Release(a.Id);
        service.Remove(network.Id[..12]);
        Assert.Contains("remove appnet", _plumbing.Calls);
        Assert.Null(new NetworkStore(_paths).Find("appnet"));
    }

    [Fact]
    public void ReclaimStale_DeadContainer_FreesLeaseSoRemoveWorks()
    {
        var service = Service();
        var network = service.Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var alive = Running("alive", network);
        var dead = Running("dead", network);
        var attachments = Attachments();
        attachments.Allocate(alive.Id);
        attachments.Allocate(dead.Id);
        // The container died without cleanup: its record still says running, its process is gone.
        _containers.Modify(dead.Id, r => r with { Pid = int.MaxValue - 1 });
        var freed = attachments.ReclaimStale((c, e) => c is not null && c.Id != dead.Id);
        Assert.Equal(dead.Id, Assert.Single(freed).ContainerId);
        Assert.Single(new NetworkStore(_paths).Read().Endpoints);

        // With the real liveness rule: the live one (this process) stays, a removed record's lease goes.
        Assert.Empty(attachments.ReclaimStale(NetworkAttachments.IsAlive));
        _containers.Delete(alive.Id);
        Assert.Single(attachments.ReclaimStale(NetworkAttachments.IsAlive));
        service.Remove("appnet");
    }

    [Fact]
    public void IsAlive_ExitedRecordButOwnerAlive_IsAliveUntilOwnerGoes()
    {
        var exited = EtcFileTests.Container("7", "x") with { Status = ContainerStatus.Exited };
        var endpoint = EtcFileTests.Endpoint(exited.Id, "n", "10.0.0.2") with { OwnerPid = Environment.ProcessId };
        Assert.True(NetworkAttachments.IsAlive(exited, endpoint));
        Assert.False(NetworkAttachments.IsAlive(exited, endpoint with { OwnerPid = 0 }));
        Assert.False(NetworkAttachments.IsAlive(null, endpoint));
    }

    [Fact]
    public void Allocate_ConcurrentProcesses_NeverShareAnAddress()
    {
        const int Threads = 8;
        const int PerThread = 6;
        var network = Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var ids = Enumerable.Range(0, Threads * PerThread).Select(i => Running("c" + i, network).Id).ToList();
        var leased = new System.Collections.Concurrent.ConcurrentBag<string>();
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var start = new Barrier(Threads);
        // Each thread uses its own store objects, as separate anchor processes would: only the flock serialises them.
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var own = new NetworkAttachments(_paths, new NetworkStore(_paths), new ContainerStore(_paths), _plumbing, new PortAllocator(_ => true, (41000, 41099)));
            start.SignalAndWait();
            try
            {
                foreach (var id in ids.Skip(t * PerThread).Take(PerThread))
                {
                    leased.Add(own.Allocate(id).Single().Address);
                }
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        Assert.Equal(Threads * PerThread, leased.Distinct().Count());
        Assert.Equal(Threads * PerThread, new NetworkStore(_paths).Read().Endpoints.Count);
    }

    [Fact]
    public void Plan_UnknownNetwork_IpOnDefaultBridge_AliasOnDefaultBridge()
    {
        var attachments = Attachments();
        Assert.Equal("Error response from daemon: network nosuch not found",
            Assert.Throws<EngineException>(() => attachments.Plan(new RunOptions { Image = "x", Network = NetworkMode.Bridge, NetworkName = "nosuch" }, [])).Shown());
        Assert.Equal("Error response from daemon: user specified IP address is supported on user defined networks only",
            Assert.Throws<EngineException>(() => attachments.Plan(new RunOptions { Image = "x", Network = NetworkMode.Bridge, NetworkName = "bridge", IpAddress = "172.29.0.9" }, [])).Shown());
        Assert.Contains("alias is supported only",
            Assert.Throws<EngineException>(() => attachments.Plan(new RunOptions { Image = "x", Network = NetworkMode.Bridge, NetworkName = "bridge", NetworkAliases = ["a"] }, [])).Message, StringComparison.Ordinal);
        Assert.Contains("does not belong",
            Assert.Throws<EngineException>(() => attachments.Plan(new RunOptions { Image = "x", Network = NetworkMode.Bridge, NetworkName = Service().Create(new NetworkCreateOptions { Name = "n", Subnet = "10.77.0.0/24" }).Name, IpAddress = "10.0.0.9" }, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_PublishAll_AddsExposedPortsNotAlreadyPublished()
    {
        var options = new RunOptions { Image = "x", Network = NetworkMode.Bridge, NetworkName = "bridge", PublishAll = true, Publish = [new PortBinding("", 8080, 80, "tcp")], Expose = ["9000/tcp"] };
        var (networks, ports) = Attachments().Plan(options, ["80/tcp", "53/udp"]);
        Assert.Equal("bridge", Assert.Single(networks).NetworkName);
        Assert.Equal([new PortBinding("", 8080, 80, "tcp"), new PortBinding("", 0, 53, "udp"), new PortBinding("", 0, 9000, "tcp")], ports);
        Assert.Equal(([], []), Attachments().Plan(options with { Network = NetworkMode.Host }, ["80/tcp"]));
    }

    [Fact]
    public void Plan_PublishWithoutNetworkWhileUnwired_IsRefusedNotDropped()
    {
        var options = new RunOptions { Image = "x", Network = NetworkMode.None, Publish = [new PortBinding("", 8080, 80, "tcp")] };
        Assert.Equal(UnwiredPlumbing.Message, Assert.Throws<EngineException>(() => Attachments(UnwiredPlumbing.Instance).Plan(options, [])).Message);
        Assert.Equal(([], []), Attachments().Plan(options, []));
    }

    [Fact]
    public void Connect_HostOrNone_AreRefusedWithDockersMessages()
    {
        Running("hostc", null);
        _containers.Modify(_containers.Find("hostc").Id, r => r with { Options = r.Options! with { Network = NetworkMode.Host } });
        Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        Assert.Contains("host network", Assert.Throws<EngineException>(() => Attachments().Connect("appnet", "hostc", null, [])).Message, StringComparison.Ordinal);
        Running("plain", null);
        Assert.Contains("private (none) mode", Assert.Throws<EngineException>(() => Attachments().Connect("none", "plain", null, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_StoppedContainer_RecordsMembership_RunningUnwired_Fails()
    {
        var service = Service();
        service.Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var stopped = _containers.Create(EtcFileTests.Container("5", "stopped") with { Status = ContainerStatus.Exited, Options = new RunOptions { Image = "x", Network = NetworkMode.Bridge } });
        Attachments().Connect("appnet", "stopped", null, ["alias1"]);
        Assert.Equal("appnet", Assert.Single(_containers.Get(stopped.Id)!.Networks).NetworkName);
        Assert.Contains("already exists", Assert.Throws<EngineException>(() => Attachments().Connect("appnet", "stopped", null, [])).Message, StringComparison.Ordinal);
        Attachments().Disconnect("appnet", "stopped", force: false);
        Assert.Empty(_containers.Get(stopped.Id)!.Networks);

        var running = Running("running", null);
        var e = Assert.Throws<EngineException>(() => Attachments(UnwiredPlumbing.Instance).Connect("appnet", "running", null, []));
        Assert.Equal(UnwiredPlumbing.Message, e.Message);
        Assert.Empty(_containers.Get(running.Id)!.Networks);
        Assert.Empty(new NetworkStore(_paths).Read().Endpoints);
    }

    [Fact]
    public void Connect_RunningAttachFails_LeavesNoLease()
    {
        Service().Create(new NetworkCreateOptions { Name = "appnet", Subnet = "10.77.0.0/24" });
        var running = Running("running", null);
        var failing = new FakePlumbing(failAttach: true);
        Assert.Throws<EngineException>(() => Attachments(failing).Connect("appnet", "running", "10.77.0.50", []));
        Assert.Empty(new NetworkStore(_paths).Read().Endpoints);
        Assert.Empty(_containers.Get(running.Id)!.Networks);
        Assert.Contains("detach 10.77.0.50", failing.Calls);

        Attachments().Connect("appnet", "running", "10.77.0.50", []);
        Assert.Equal("10.77.0.50", Assert.Single(new NetworkStore(_paths).Read().Endpoints).Address);
        Assert.Contains("attach appnet 10.77.0.50", _plumbing.Calls);
    }

    /// <summary>A container that is running as far as liveness goes (its PID is this test process).</summary>
    private ContainerRecord Running(string name, NetworkRecord? network, IReadOnlyList<string>? aliases = null, string? ip = null, IReadOnlyList<PortBinding>? ports = null)
    {
        var record = new ContainerRecord
        {
            Id = NetworkIds.New(),
            Name = name,
            Image = "busybox",
            ImageId = "sha256:x",
            Created = DateTimeOffset.UtcNow,
            Status = ContainerStatus.Running,
            Pid = Environment.ProcessId,
            Options = new RunOptions { Image = "busybox", Network = NetworkMode.Bridge, NetworkName = network?.Name },
            Networks = network is null ? [] : [new NetworkAttachment { NetworkId = network.Id, NetworkName = network.Name, Aliases = aliases ?? [], IpAddress = ip }],
            PortRequests = ports ?? [],
        };
        _containers.Create(record);
        File.WriteAllText(new ContainerFiles(_paths.ContainerDirectory(record.Id)).Hosts, "");
        return record;
    }
}
