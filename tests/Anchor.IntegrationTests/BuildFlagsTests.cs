namespace Anchor.IntegrationTests;

/// <summary>`build --label`, `--iidfile`, `--network`, `--add-host`, `--shm-size` and `--ulimit` (issue 14's build flags), as docker's classic builder gives them.</summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildFlagsTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void Labels_AreLabelStepsAtTheEnd_Unexpanded_AndIidFileHoldsTheId()
    {
        const string tag = "build-flags:1";
        var iid = Path.Combine(anchor.TempDir, "iid-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(iid, "stale");
        var build = anchor.Anchor(["build", "--label", "z=has $HOME and 'q", "--label", "a=2", "--label", "empty", "--iidfile", iid, "-t", tag, "-"], "FROM busybox\nLABEL a=1\n", BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("Step 3/5 : LABEL a=2", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("Step 5/5 : LABEL z=has $HOME and 'q", build.Stdout, StringComparison.Ordinal);
            var inspect = anchor.Anchor(["inspect", "-f", "{{json .Config.Labels}} {{.Id}}", tag]);
            Assert.Equal($"{{\"a\":\"2\",\"empty\":\"\",\"z\":\"has $HOME and 'q\"}} {File.ReadAllText(iid)}", inspect.Stdout.Trim());
            Assert.StartsWith("sha256:", File.ReadAllText(iid), StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void IidFile_ThatIsADevice_IsRefusedAndLeftAlone()
    {
        var build = anchor.Anchor(["build", "-q", "--iidfile", "/dev/null", "-"], "FROM busybox\n", BuildTimeout);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal("cannot write to a character device file", build.Stderr.Trim());
        Assert.Equal("character special file", ProcessRunner.Run("stat", ["-c", "%F", "/dev/null"]).Stdout.Trim());
    }

    [Fact]
    public void NetworkNone_RunStepsSeeOnlyLoopback_DefaultSeesTheHosts()
    {
        var none = anchor.Anchor(["build", "--no-cache", "--network", "none", "-"], "FROM busybox\nRUN echo \"ifs: $(ls /sys/class/net | tr '\\n' ' ')\"\n", BuildTimeout);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("ifs: lo \n", none.Stdout, StringComparison.Ordinal);

        var host = anchor.Anchor(["build", "--no-cache", "-"], "FROM busybox\nRUN echo \"ifs: $(ls /sys/class/net | wc -l)\"\n", BuildTimeout);
        Assert.True(host.ExitCode == 0, host.ToString());
        // The host's interfaces (lo and at least one more), not a namespace of its own.
        Assert.True(int.Parse(host.Stdout.Split('\n').Single(l => l.StartsWith("ifs: ", StringComparison.Ordinal))["ifs: ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture) > 1, host.Stdout);

        Assert.NotEqual(0, anchor.Anchor(["build", "--network", "bridge", "-"], "FROM busybox\n", BuildTimeout).ExitCode);
    }

    [Fact]
    public void AddHostShmSizeUlimit_ReachEveryRunStep()
    {
        var build = anchor.Anchor(
            ["build", "--no-cache", "--add-host", "myhost:10.1.2.3", "--shm-size", "128m", "--ulimit", "nofile=512:1024", "-"],
            "FROM busybox\nRUN grep myhost /etc/hosts; df -k /dev/shm | tail -1; echo \"nofile $(ulimit -n)\"\n",
            BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("10.1.2.3\tmyhost", build.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^shm\s+131072\s", build.Stdout);
        Assert.Contains("nofile 512\n", build.Stdout, StringComparison.Ordinal);

        var bad = anchor.Anchor(["build", "--ulimit", "nofile=x", "-"], "FROM busybox\n", BuildTimeout);
        Assert.NotEqual(0, bad.ExitCode);
    }
}
