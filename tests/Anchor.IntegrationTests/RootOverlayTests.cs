namespace Anchor.IntegrationTests;

/// <summary>
/// The container's root overlay as the kernel shows it: the upper of a --rm container is volatile
/// (its exit does not sync the host's disk), a kept container's is not (it must mount again after a crash).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class RootOverlayTests(AnchorFixture anchor)
{
    private const string RootLine = "grep '^overlay / ' /proc/mounts";

    [Fact]
    public void Run_Rm_RootUpperIsVolatile()
    {
        var line = anchor.ShOk(RootLine);

        // 6.x prints "fsync=volatile", 5.10-6.5 print "volatile".
        Assert.Contains("volatile", line, StringComparison.Ordinal);
        Assert.Contains("upperdir=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Kept_RootUpperIsNotVolatile()
    {
        var name = "overlay-kept-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var result = anchor.Anchor(["run", "--name", name, "--network", "none", AnchorFixture.Image, "sh", "-c", RootLine]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("upperdir=", result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("volatile", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    /// <summary>
    /// ROOT/containers carries ext4's top-of-hierarchy flag (chattr +T), so that containers are spread
    /// over the block groups (Linux/TopDirectory.cs); lsattr shows it as 'T'. Only ext2/3/4 have it.
    /// </summary>
    [Fact]
    public void Store_ContainersDirectory_IsATopDirectoryOnExt4()
    {
        anchor.ShOk("true");
        var containers = Path.Combine(anchor.Root, "containers");
        var fsType = ProcessRunner.Run("stat", ["-f", "-c", "%T", containers]);
        Assert.True(fsType.ExitCode == 0, fsType.ToString());
        if (fsType.Out.Trim() != "ext2/ext3")
        {
            return; // no such flag elsewhere; the run above still had to succeed
        }

        var flags = ProcessRunner.Run("lsattr", ["-d", containers]);
        Assert.True(flags.ExitCode == 0, flags.ToString());
        Assert.Contains('T', flags.Out.Split(' ')[0]);
    }
}
