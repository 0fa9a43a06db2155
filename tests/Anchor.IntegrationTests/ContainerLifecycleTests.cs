using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary>Containers kept without --rm: names, ps -a, rm, and what --rm leaves behind (nothing).</summary>
[Collection(AnchorCollection.Name)]
public sealed partial class ContainerLifecycleTests(AnchorFixture anchor)
{
    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    [Fact]
    public void Run_NameInUse_Fails125AlreadyInUse()
    {
        var name = UniqueName("it-dup");
        try
        {
            var first = anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "true"]);
            Assert.True(first.ExitCode == 0, first.ToString());
            var second = anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "true"]);
            Assert.True(second.ExitCode == 125, second.ToString());
            Assert.Contains("already in use", second.Stderr);

            var rm = anchor.Anchor(["rm", name]);
            Assert.True(rm.ExitCode == 0, rm.ToString());
            var ps = anchor.Anchor(["ps", "-a"]);
            Assert.True(ps.ExitCode == 0, ps.ToString());
            Assert.DoesNotContain(name, ps.Stdout);

            // The name is free again.
            var third = anchor.Anchor(["run", "--rm", "--name", name, AnchorFixture.Image, "true"]);
            Assert.True(third.ExitCode == 0, third.ToString());
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }

        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void Run_WithoutRm_IsListedAsExitedWithItsCode()
    {
        var name = UniqueName("it-exited");
        try
        {
            var run = anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "sh", "-c", "exit 3"]);
            Assert.True(run.ExitCode == 3, run.ToString());

            var ps = anchor.Anchor(["ps", "-a"]);
            Assert.True(ps.ExitCode == 0, ps.ToString());
            var line = ps.Stdout.Split('\n').SingleOrDefault(l => l.TrimEnd().EndsWith(name, StringComparison.Ordinal));
            Assert.True(line is not null, $"ps -a does not list {name}:\n{ps.Stdout}");
            Assert.Contains("Exited (3)", line);
            Assert.Contains(AnchorFixture.Image, line);
            Assert.Matches(AnchorFixture.ShortId(), line[..12]);

            // ps without -a lists running containers only.
            var running = anchor.Anchor(["ps"]);
            Assert.True(running.ExitCode == 0, running.ToString());
            Assert.DoesNotContain(name, running.Stdout);
            Assert.StartsWith("CONTAINER ID", running.Stdout);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void PsQuiet_PrintsShortIds_RmByIdPrefixRemoves()
    {
        var before = anchor.ContainerIds();
        var run = anchor.Anchor(["run", AnchorFixture.Image, "true"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var added = anchor.ContainerIds().Except(before).ToList();
        Assert.Single(added);
        var full = added[0];
        Assert.Matches(FullId(), full);
        try
        {
            var quiet = anchor.Anchor(["ps", "-a", "-q"]);
            Assert.True(quiet.ExitCode == 0, quiet.ToString());
            var ids = quiet.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(ids, id => Assert.Matches(AnchorFixture.ShortId(), id));
            Assert.Contains(full[..12], ids);

            var rm = anchor.Anchor(["rm", full[..6]]);
            Assert.True(rm.ExitCode == 0, rm.ToString());
            Assert.DoesNotContain(full, anchor.ContainerIds());
            Assert.False(Directory.Exists(Path.Combine(anchor.Root, "containers", full)), "rm left the container's directory");
        }
        finally
        {
            anchor.Anchor(["rm", "-f", full]);
        }
    }

    [Fact]
    public void RunRm_ContainerFiles_GoToTrashAndTheReaperEmptiesIt()
    {
        var marker = "trash-" + Guid.NewGuid().ToString("N")[..8];
        var run = anchor.RunRm("sh", "-c", $"dd if=/dev/zero of=/{marker} bs=64k count=4 2>/dev/null; echo done");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("done", run.Out.Trim());

        // The reaper runs detached after the CLI exits; nothing with the container's file may remain.
        var trash = Path.Combine(anchor.Root, "trash");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.Exists(trash) && Directory.EnumerateFileSystemEntries(trash).Any() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.False(Directory.Exists(trash) && Directory.EnumerateFileSystemEntries(trash).Any(), "the trash was not emptied");
        Assert.Empty(Directory.EnumerateFiles(anchor.Root, marker, SearchOption.AllDirectories));
    }

    [Fact]
    public void Rm_UnknownContainer_Fails()
    {
        var result = anchor.Anchor(["rm", "nosuchcontainer-" + Guid.NewGuid().ToString("N")[..8]]);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("nosuchcontainer", result.Stderr);
    }

    [Fact]
    public void Run_WithoutRm_LeavesNothingMountedAfterExit()
    {
        var name = UniqueName("it-kept");
        try
        {
            var run = anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "true"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Empty(anchor.MountsUnderTempDir());
            anchor.AssertNoNewCgroups();
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void RunRm_AfterSuccessAndFailures_LeavesNothingBehind()
    {
        anchor.ShOk("echo hello > /file");
        anchor.Sh("exit 5");
        anchor.RunRm("nosuchcmd");
        anchor.RunRm("/etc/passwd");
        anchor.RunRm(["-u", "nosuchuser"], "true");
        anchor.RunRm(["--read-only", "--network", "host", "-t", "-w", "/newdir", "--hostname", "h"], "true");
        anchor.AssertNoLeftovers();
        var containers = Path.Combine(anchor.Root, "containers");
        if (Directory.Exists(containers))
        {
            var known = anchor.ContainerIds();
            Assert.All(Directory.EnumerateFileSystemEntries(containers).Select(Path.GetFileName), n => Assert.True(n == "lock" || known.Contains(n!), $"left: {n}"));
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex FullId();
}
