using System.Globalization;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// --userns, --uidmap, --gidmap for containers run by root (docs/architecture.md, "User
/// namespaces"): container root is 0 inside and an unprivileged host id outside, ranges never
/// overlap and come back on rm, exec joins the same namespace, the image layers stay as they are.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class UsernsTests(AnchorFixture anchor)
{
    private const uint AutoBase = 1_000_000_000;

    /// <summary>The "0 HOST SIZE" line of a one-line map.</summary>
    private static (uint Inside, uint Host, uint Size) Map(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => uint.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(3, fields.Length);
        return (fields[0], fields[1], fields[2]);
    }

    private string RunDetached(params string[] options)
    {
        var run = anchor.Anchor(["run", "-d", "--network", "none", .. options, AnchorFixture.Image, "sleep", "120"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Out;
    }

    private string Exec(string id, params string[] command)
    {
        var exec = anchor.Anchor(["exec", id, .. command]);
        Assert.True(exec.ExitCode == 0, exec.ToString());
        return exec.Out;
    }

    [Fact]
    public void Auto_RootInside_IsZero_AndTheMapsHoldAFreshRange()
    {
        var lines = anchor.ShOk("id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map", "--network", "none", "--userns=auto").Split('\n');
        Assert.Equal("0", lines[0]);
        Assert.Equal("0", lines[1]);
        var uids = Map(lines[2]);
        var gids = Map(lines[3]);
        Assert.Equal(0u, uids.Inside);
        Assert.Equal(65536u, uids.Size);
        Assert.True(uids.Host >= AutoBase, lines[2]);
        Assert.Equal(uids, gids);
    }

    [Fact]
    public void Auto_Size_GivesThatManyIds()
    {
        var map = Map(anchor.ShOk("cat /proc/self/uid_map", "--network", "none", "--userns=auto:size=2000"));
        Assert.Equal(2000u, map.Size);
    }

    [Fact]
    public void Host_KeepsTheHostsIds()
    {
        Assert.Equal((0u, 0u, uint.MaxValue), Map(anchor.ShOk("cat /proc/self/uid_map", "--network", "none", "--userns=host")));
    }

    [Fact]
    public void Auto_TwoContainers_GetDisjointRanges_AndExecSeesTheSameMap()
    {
        var first = RunDetached("--userns=auto");
        var second = RunDetached("--userns=auto:size=1000");
        try
        {
            var a = Map(Exec(first, "cat", "/proc/1/uid_map"));
            var b = Map(Exec(second, "cat", "/proc/1/uid_map"));
            Assert.True(a.Host + a.Size <= b.Host || b.Host + b.Size <= a.Host, $"{a} overlaps {b}");

            // exec joins the container's user namespace: root is 0 there, with PID 1's map.
            var exec = Exec(first, "sh", "-c", "id -u; cat /proc/self/uid_map; readlink /proc/self/ns/user; readlink /proc/1/ns/user").Split('\n');
            Assert.Equal("0", exec[0]);
            Assert.Equal(a, Map(exec[1]));
            Assert.Equal(exec[3], exec[2]);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", first, second]);
        }
    }

    [Fact]
    public void Auto_Rm_FreesTheRange()
    {
        var first = RunDetached("--userns=auto");
        string? second = null;
        try
        {
            var taken = Map(Exec(first, "cat", "/proc/1/uid_map"));
            Assert.Equal(0, anchor.Anchor(["rm", "-f", first]).ExitCode);
            // First fit: the lowest free range is the one rm just gave back.
            second = RunDetached("--userns=auto");
            Assert.Equal(taken, Map(Exec(second, "cat", "/proc/1/uid_map")));
        }
        finally
        {
            anchor.Anchor(["rm", "-f", first, .. second is null ? Array.Empty<string>() : [second]]);
        }
    }

    [Fact]
    public void Auto_BindMountedHostDirectory_WritesLandAsTheMappedHostIds()
    {
        var open = Path.Combine(anchor.TempDir, "userns-open-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF); // 0777
        var output = anchor.ShOk("cat /proc/self/uid_map; echo x > /data/root-file; echo y > /data/www; chown 33:33 /data/www", "--network", "none", "--userns=auto", "-v", open + ":/data");
        var map = Map(output);
        Assert.Equal((map.Host, map.Host), Owner(Path.Combine(open, "root-file")));
        Assert.Equal((map.Host + 33, map.Host + 33), Owner(Path.Combine(open, "www")));
    }

    [Fact]
    public void Auto_ContainerRoot_CannotWriteTheHostsRootOwnedFiles()
    {
        // The escape the issue is about: through a bind, container root is an unprivileged host uid.
        var closed = Path.Combine(anchor.TempDir, "userns-closed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(closed);
        File.WriteAllText(Path.Combine(closed, "host-file"), "host\n");
        var result = anchor.Sh("echo owned > /data/host-file", "--network", "none", "--userns=auto", "-v", closed + ":/data");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Permission denied", result.Err, StringComparison.Ordinal);
        Assert.Equal("host\n", File.ReadAllText(Path.Combine(closed, "host-file")));
        // The same without a user namespace succeeds (docker's default): the test can fail.
        Assert.Equal(0, anchor.Sh("echo owned > /data/host-file", "--network", "none", "-v", closed + ":/data").ExitCode);
    }

    [Fact]
    public void Auto_ImageLayers_ShowRootInside_AndStayUnchangedOnDisk()
    {
        var id = RunDetached("--userns=auto");
        try
        {
            Assert.Equal("0 0", Exec(id, "stat", "-c", "%u %g", "/bin/busybox"));
            Exec(id, "sh", "-c", "echo new > /new-file && mkdir /new-dir");
            using var inspect = JsonDocument.Parse(anchor.Anchor(["inspect", id]).Out);
            var container = inspect.RootElement[0];
            Assert.Equal("auto", container.GetProperty("HostConfig").GetProperty("UsernsMode").GetString());
            var data = container.GetProperty("GraphDriver").GetProperty("Data");
            var lower = data.GetProperty("LowerDir").GetString()!.Split(':');
            var busybox = lower.Select(l => Path.Combine(l, "bin", "busybox")).First(File.Exists);
            Assert.Equal((0u, 0u), Owner(busybox)); // shared layers are never chowned
            var map = Map(Exec(id, "cat", "/proc/1/uid_map"));
            var upper = data.GetProperty("UpperDir").GetString()!;
            Assert.Equal((map.Host, map.Host), Owner(Path.Combine(upper, "new-file")));
            Assert.Equal((map.Host, map.Host), Owner(Path.Combine(upper, "new-dir")));
        }
        finally
        {
            anchor.Anchor(["rm", "-f", id]);
        }
    }

    [Fact]
    public void Inspect_Default_UsernsModeIsEmpty()
    {
        var id = anchor.Anchor(["create", "--network", "none", AnchorFixture.Image, "true"]).Out;
        try
        {
            Assert.Equal("", anchor.Anchor(["inspect", "-f", "{{.HostConfig.UsernsMode}}", id]).Out);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", id]);
        }
    }

    [Fact]
    public void Uidmap_Gidmap_AreTheMaps()
    {
        var lines = anchor.ShOk("cat /proc/self/uid_map /proc/self/gid_map; id -u", "--network", "none",
            "--uidmap", "0:2100000000:1000", "--uidmap", "1000:2100100000:10", "--gidmap", "0:2100200000:500").Split('\n');
        Assert.Equal((0u, 2100000000u, 1000u), Map(lines[0]));
        Assert.Equal((1000u, 2100100000u, 10u), Map(lines[1]));
        Assert.Equal((0u, 2100200000u, 500u), Map(lines[2]));
        Assert.Equal("0", lines[3]);
    }

    [Theory]
    [InlineData("--userns=bogus", "--userns: invalid USER mode: bogus")]
    [InlineData("--userns=auto:size=0", "--userns: invalid USER mode: auto:size=0")]
    [InlineData("--uidmap=0:1", "invalid argument \"0:1\" for \"--uidmap\" flag")]
    public void BadValues_AreRefused125(string flag, string message)
    {
        var result = anchor.RunRm([flag, "--network", "none"], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--privileged", "privileged mode is incompatible with user namespaces")]
    [InlineData("--pid=host", "cannot share the host PID namespace when user namespaces are enabled")]
    [InlineData("--uidmap=0:2100000000:10", "cannot be combined")]
    public void Auto_WithHostNamespacesOrPrivileged_IsRefused125(string flag, string message)
    {
        var result = anchor.RunRm(["--userns=auto", flag, "--network", "none"], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        anchor.AssertNoLeftovers();
    }

    private static (uint Uid, uint Gid) Owner(string path)
    {
        var stat = ProcessRunner.Run("stat", ["-c", "%u %g", path]);
        Assert.True(stat.ExitCode == 0, stat.ToString());
        var parts = stat.Out.Split(' ');
        return (uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
