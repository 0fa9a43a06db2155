using Xunit.Abstractions;

namespace Anchor.IntegrationTests;

/// <summary>
/// The anchor half of the docker comparison suite (issue 12, "How it is checked"): tests/compare's
/// runner plays scenarios.txt against anchor on a store of its own, and its check compares every
/// invocation with docker 20.10's recording as classification.txt says: `same` must still match
/// docker, `harmless` must still print what anchor printed when it was classified.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ComparisonSuiteTests(AnchorFixture anchor, ITestOutputHelper output)
{
    [Fact]
    public void Scenarios_MatchDockersRecording_AsClassified()
    {
        var suite = SuiteDir();
        using var store = new PrivateStore(anchor, "compare");
        var root = Path.Combine(store.Dir, "root");
        var results = Path.Combine(store.Dir, "anchor-results.json");
        var engine = string.Join(' ', new[] { anchor.Bin }.Concat(store.Args));

        ProcessResult run;
        try
        {
            run = ProcessRunner.Run(
                "python3",
                [Path.Combine(suite, "compare.py"), "run", "--engine", "anchor", "--cmd", engine, "--root", root, "--busybox", anchor.BusyboxTar, "--out", results],
                timeout: TimeSpan.FromMinutes(5));
        }
        finally
        {
            // The script removes what it made; if it stopped half-way its networks (bridges in the kernel) must not stay.
            store.Run(["network", "prune", "-f"]);
        }

        Assert.True(run.ExitCode == 0, $"the runner failed: {run}");

        var check = ProcessRunner.Run("python3", [Path.Combine(suite, "compare.py"), "check", "--results", results], timeout: TimeSpan.FromMinutes(1));
        output.WriteLine(run.Out);
        output.WriteLine(check.Out);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.StartsWith("comparison suite: ", check.Out, StringComparison.Ordinal);
    }

    /// <summary>tests/compare of the checkout these tests were built from.</summary>
    private static string SuiteDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "compare");
            if (File.Exists(Path.Combine(dir.FullName, "Anchor.slnx")) && File.Exists(Path.Combine(candidate, "compare.py")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/compare/compare.py not found above " + AppContext.BaseDirectory);
    }
}
