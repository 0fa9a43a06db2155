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
        // lo is up: a local TCP connection succeeds (nc listens, then the client connects).
        var output = anchor.ShOk("nc -l -p 5555 > /tmp/got & sleep 0.3; echo ping | nc -w 2 127.0.0.1 5555; wait; cat /tmp/got", "--network", "none");
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
        // Containers' veths (av…) come and go on the host meanwhile (the kernel deletes a pair
        // asynchronously when its namespace dies): compare the rest.
        static bool Stable(string name) => !name.StartsWith("av", StringComparison.Ordinal);
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
