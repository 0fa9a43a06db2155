namespace Anchor.IntegrationTests;

/// <summary>
/// What a RUN step makes reaches the image as docker's layers keep it (issue 14, found 4): a hard
/// link stays a link (one inode, two names) in the containers of the built image.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildLayerFidelityTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void HardLinkMadeByRun_IsOneInodeInTheImage()
    {
        const string tag = "fidelity-hardlink:1";
        var build = anchor.Anchor(["build", "-q", "-t", tag, "-"], "FROM busybox\nRUN mkdir /d && echo linked > /d/a && ln /d/a /d/b && ln /d/a /c\n", BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", tag, "sh", "-c", "stat -c '%i %h' /d/a /d/b /c; cat /d/b"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.Stdout.Trim().Split('\n');
            Assert.Equal(4, lines.Length);
            Assert.Equal(lines[0], lines[1]);
            Assert.Equal(lines[0], lines[2]);
            Assert.EndsWith(" 3", lines[0], StringComparison.Ordinal);
            Assert.Equal("linked", lines[3]);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }
}
