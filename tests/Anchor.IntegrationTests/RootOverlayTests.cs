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
}
