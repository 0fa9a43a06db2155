namespace Anchor.IntegrationTests;

/// <summary>anchor needs root: an ordinary user gets a clear message, not a stack trace.</summary>
[Collection(AnchorCollection.Name)]
public sealed class NonRootTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_AsNonRoot_FailsSayingRootIsNeeded()
    {
        var args = new[] { "--reuid", "65534", "--regid", "65534", "--clear-groups", anchor.Bin }
            .Concat(anchor.StoreArgs).Concat(["run", "--rm", AnchorFixture.Image, "true"]);
        var result = ProcessRunner.Run("setpriv", args);
        Assert.True(result.ExitCode != 0, result.ToString());
        // "root" must be in the message itself, not only in the store's path (<tmp>/root).
        var message = result.Stderr.Replace(anchor.Root, "<store>", StringComparison.Ordinal).Replace(anchor.RunRoot, "<run>", StringComparison.Ordinal);
        Assert.Contains("root", message);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
