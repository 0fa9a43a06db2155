namespace Anchor.IntegrationTests;

/// <summary>docker's exit codes: 125 for the engine's own errors, 126 not executable, 127 not found.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ExitCodeTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_CommandNotFound_Exits127NamingIt()
    {
        var result = anchor.RunRm("nosuchcmd");
        Assert.True(result.ExitCode == 127, result.ToString());
        Assert.Contains("nosuchcmd", result.Stderr);
    }

    [Fact]
    public void Run_CommandNotExecutable_Exits126()
    {
        var result = anchor.RunRm("/etc/passwd");
        Assert.True(result.ExitCode == 126, result.ToString());
        Assert.Contains("/etc/passwd", result.Stderr);
    }

    [Fact]
    public void Run_UnknownImage_Exits125UnableToFind()
    {
        var result = anchor.Anchor(["run", "--rm", "nosuchimage-" + Guid.NewGuid().ToString("N")[..8], "true"]);
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("Unable to find image", result.Stderr);
    }

    [Fact]
    public void Run_UnknownFlag_Exits125()
    {
        var result = anchor.Anchor(["run", "--bogus", AnchorFixture.Image, "true"]);
        Assert.True(result.ExitCode == 125, result.ToString());
        // docker: "unknown flag: --bogus"; the flag is not mistaken for the image.
        Assert.Contains("--bogus", result.Stderr);
        Assert.DoesNotContain("Unable to find image", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void Run_MemoryNotASize_Exits125WithOneLine()
    {
        var result = anchor.RunRm(["--memory", "abc"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        AssertShortMessage(result, "abc");
    }

    [Fact]
    public void Run_MemoryBelowMinimum_Exits125()
    {
        var result = anchor.RunRm(["--memory", "1k"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        AssertShortMessage(result, "6MB");
    }

    [Fact]
    public void Run_CpusNotANumber_Exits125()
    {
        var result = anchor.RunRm(["--cpus", "lots"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        AssertShortMessage(result, "lots");
    }

    [Fact]
    public void UnknownVerb_Fails()
    {
        var result = anchor.Anchor(["frobnicate"]);
        Assert.True(result.ExitCode != 0, result.ToString());
    }

    [Fact]
    public void Version_Succeeds()
    {
        var result = anchor.Anchor(["version"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Anchor", result.Stdout);
    }

    /// <summary>docker prints the error (and at most its "See 'docker run --help'." hint), never a stack trace.</summary>
    private static void AssertShortMessage(ProcessResult result, string mention)
    {
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length is 1 or 2, $"expected a one-line message: {result}");
        Assert.Contains(mention, lines[0]);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("", result.Stdout);
    }
}
