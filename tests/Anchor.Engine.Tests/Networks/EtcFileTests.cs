using Anchor.Engine.Containers;
using Anchor.Engine.Networks;
using Anchor.Engine.Run;

namespace Anchor.Engine.Tests.Networks;

public sealed class EtcFileTests
{
    [Fact]
    public void HostsFile_Render_LoopbackExtraOwnPeersInOrder()
    {
        var text = HostsFile.Render([new HostEntry("10.0.0.5", ["db2"])], [new HostEntry("10.77.0.2", ["abc"])], [new HostEntry("10.77.0.3", ["db", "database", "0123456789ab"])]);
        Assert.Equal(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n" +
            "10.0.0.5\tdb2\n10.77.0.2\tabc\n10.77.0.3\tdb database 0123456789ab\n",
            text);
    }

    [Theory]
    [InlineData("db2:10.0.0.5", "db2:10.0.0.5")]
    [InlineData("db2=10.0.0.5", "db2:10.0.0.5")]
    [InlineData("gw:host-gateway", "gw:host-gateway")]
    [InlineData("v6:::1", "v6:::1")]
    public void ExtraHosts_Validate_Valid(string value, string stored) => Assert.Equal(stored, ExtraHosts.Validate(value));

    [Theory]
    [InlineData("nocolon", "bad format for add-host: \"nocolon\"")]
    [InlineData("db:", "bad format for add-host: \"db:\"")]
    [InlineData("db:notanip", "invalid IP address in add-host: \"notanip\"")]
    public void ExtraHosts_Validate_Invalid(string value, string message) =>
        Assert.EndsWith(message, Assert.Throws<EngineException>(() => ExtraHosts.Validate(value)).Message, StringComparison.Ordinal);

    [Fact]
    public void ExtraHosts_HostGateway_BecomesGateway() => Assert.Equal("10.77.0.1\tgw", ExtraHosts.ToEntry("gw:host-gateway", "10.77.0.1").ToString());

    [Fact]
    public void ResolvConf_DnsReplacesNameserversKeepsOthers()
    {
        var text = ResolvConf.Render("search lan\nnameserver 10.1.1.1\noptions edns0\n", ["10.0.0.2"], [], [], privateNamespace: true);
        Assert.Equal("search lan\nnameserver 10.0.0.2\noptions edns0\n", text);
    }

    [Fact]
    public void ResolvConf_SearchAndOptionsReplaceHosts()
    {
        var text = ResolvConf.Render("search lan\ndomain x\nnameserver 10.1.1.1\noptions edns0\n", [], ["a.example", "b.example"], ["ndots:2"], privateNamespace: true);
        Assert.Equal("search a.example b.example\nnameserver 10.1.1.1\noptions ndots:2\n", text);
    }

    [Fact]
    public void ResolvConf_AllFlags_SearchThenNameserversThenOptions()
    {
        var text = ResolvConf.Render("nameserver 10.1.1.1\n", ["10.1.1.2"], ["example.com"], ["ndots:2"], privateNamespace: true);
        Assert.Equal("search example.com\nnameserver 10.1.1.2\noptions ndots:2\n", text);
    }

    [Fact]
    public void ResolvConf_PrivateNamespace_DropsLoopbackFallsBackToGoogle()
    {
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", ResolvConf.Render("nameserver 127.0.0.53\n", [], [], [], privateNamespace: true));
        Assert.Equal("nameserver 127.0.0.53\n", ResolvConf.Render("nameserver 127.0.0.53\n", [], [], [], privateNamespace: false));
    }

    [Fact]
    public void NetworkHosts_Render_UserNetworkListsPeersDefaultBridgeDoesNot()
    {
        var user = new NetworkRecord { Id = new string('a', 64), Name = "appnet", Subnet = "10.77.0.0/24", Gateway = "10.77.0.1", Created = DateTimeOffset.UnixEpoch };
        var web = Container("1", "web", extraHosts: ["gw:host-gateway"]);
        var db = Container("2", "db");
        var state = new NetworkState { Networks = [user] };
        state.Endpoints.Add(Endpoint(web.Id, user.Id, "10.77.0.2"));
        state.Endpoints.Add(Endpoint(db.Id, user.Id, "10.77.0.3", ["database"]));
        var bridgeId = NetworkIds.FromName("bridge");
        state.Endpoints.Add(Endpoint(web.Id, bridgeId, "172.29.0.2"));
        state.Endpoints.Add(Endpoint(Container("3", "other").Id, bridgeId, "172.29.0.3"));
        var all = new[] { web, db }.ToDictionary(c => c.Id);
        var text = NetworkHosts.Render(web, state, id => all.GetValueOrDefault(id));
        Assert.Contains("10.77.0.1\tgw\n", text, StringComparison.Ordinal);
        Assert.Contains("10.77.0.2\twebhost\n", text, StringComparison.Ordinal);
        Assert.Contains("172.29.0.2\twebhost\n", text, StringComparison.Ordinal);
        Assert.Contains($"10.77.0.3\tdb database {db.Id[..12]}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("172.29.0.3", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkHosts_WriteInPlace_KeepsTheInode()
    {
        // A hard link stands for the bind mount: it pins the inode, so it sees the write only if no rename happened.
        var dir = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(dir, "hosts");
        var pinned = Path.Combine(dir, "pinned");
        File.WriteAllText(file, "old content that is longer\n");
        Assert.Equal(0, Anchor.Linux.Interop.LibC.link(file, pinned));
        NetworkHosts.WriteInPlace(file, "new\n");
        Assert.Equal("new\n", File.ReadAllText(pinned));
        Directory.Delete(dir, recursive: true);
    }

    internal static ContainerRecord Container(string idDigit, string name, IReadOnlyList<string>? extraHosts = null) => new()
    {
        Id = string.Concat(Enumerable.Repeat(idDigit, 64)),
        Name = name,
        Image = "busybox",
        ImageId = "sha256:x",
        Created = DateTimeOffset.UnixEpoch,
        Options = new RunOptions { Image = "busybox", Hostname = name + "host", ExtraHosts = extraHosts ?? [] },
    };

    internal static EndpointRecord Endpoint(string containerId, string networkId, string address, IReadOnlyList<string>? aliases = null) => new()
    {
        Id = NetworkIds.New(),
        ContainerId = containerId,
        NetworkId = networkId,
        Address = address,
        PrefixLength = 24,
        MacAddress = "02:42:00:00:00:00",
        HostVethName = NetworkIds.NewVethName(),
        Aliases = aliases ?? [],
    };

}
