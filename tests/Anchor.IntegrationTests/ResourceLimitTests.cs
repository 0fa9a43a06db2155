namespace Anchor.IntegrationTests;

/// <summary>--memory, --pids-limit, --cpus: cgroup limits that really bite.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ResourceLimitTests(AnchorFixture anchor)
{
    /// <summary>dd's 200 MB buffer is filled by read(2) from /dev/zero: every page is touched and charged.</summary>
    private const string MemoryHog = "dd if=/dev/zero of=/dev/null bs=200M count=1";

    /// <summary>20 background sleeps: more processes than a pids limit of 8 allows.</summary>
    private const string ForkBurst = "for i in $(seq 1 20); do sleep 1 & done; wait";

    [Fact]
    public void Run_MemoryLimitExceeded_IsOomKilled137()
    {
        var result = anchor.Sh(MemoryHog, "--memory", "32m");
        Assert.True(result.ExitCode == 137, result.ToString());
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void Run_MemoryHogWithoutLimit_Succeeds()
    {
        var result = anchor.Sh(MemoryHog);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Run_MemoryLimitAbove_Succeeds()
    {
        var result = anchor.Sh(MemoryHog, "--memory", "512m");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Run_PidsLimit_ForksFail()
    {
        var result = anchor.Sh(ForkBurst, "--pids-limit", "8");
        Assert.Contains("fork", result.Stderr);
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void Run_WithoutPidsLimit_ForksSucceed()
    {
        var result = anchor.Sh(ForkBurst);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("fork", result.Stderr);
    }
}
