namespace Anchor.IntegrationTests;

/// <summary>--network none (a private namespace with only lo, up) and --network host.</summary>
[Collection(AnchorCollection.Name)]
public sealed class NetworkTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_NetworkNone_HasOnlyLoopbackUp()
    {
        var output = anchor.ShOk("ls /sys/class/net; echo --; cat /sys/class/net/lo/operstate", "--network", "none");
        Assert.Equal("lo\n--\nunknown", output);
    }

    [Fact]
    public void Run_NetworkNone_LoopbackWorks()
    {
        // lo is up: a local TCP connection succeeds (nc listens, then the client connects; the
        // client retries until the listener is there, so a slow machine cannot make this fail).
        var output = anchor.ShOk("nc -l -p 5555 > /tmp/got & for i in $(seq 50); do echo ping | nc -w 2 127.0.0.1 5555 && break; sleep 0.1; done; wait; cat /tmp/got", "--network", "none");
        Assert.Equal("ping", output);
    }

    [Fact]
    public void Run_DefaultNetwork_IsNotTheHosts()
    {
        // The default bridge: its own lo and eth0 (the host's eth0 is not in there with them).
        var output = anchor.ShOk("ls /sys/class/net");
        Assert.Equal(["eth0", "lo"], output.Split('\n'));
    }

    [Fact]
    public void Run_NetworkHost_SeesTheHostsInterfaces()
    {
        // Other tests add and remove veths (av…) and user-network bridges (anc-…) meanwhile: compare the rest.
        static bool Stable(string name) => !name.StartsWith("av", StringComparison.Ordinal) && !name.StartsWith("anc-", StringComparison.Ordinal);
        var host = Directory.EnumerateFileSystemEntries("/sys/class/net").Select(p => Path.GetFileName(p)!).Where(Stable).Order(StringComparer.Ordinal).ToList();
        var inside = anchor.ShOk("ls /sys/class/net", "--network", "host").Split('\n').Where(Stable).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(host, inside);
    }

    [Fact]
    public void Run_UnknownNetwork_Exits125()
    {
        var result = anchor.RunRm(["--network", "nosuchnet"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("nosuchnet", result.Stderr);
    }
}
