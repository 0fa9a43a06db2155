using System.Text;
using Anchor.Build;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Tests.Build;

/// <summary>
/// A build whose caller owns the RUN steps' output (a server's response) gets both of a step's
/// streams in its own stream, through the real runtime: a private store with the busybox image,
/// a RUN step that writes to stdout and to stderr.
/// </summary>
public sealed class StepOutputRelayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-relay-").FullName;

    [Fact]
    public void RunOutput_GetsTheStepsStdoutAndStderr_AndTheLogItsOwnLines()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        var busybox = Environment.GetEnvironmentVariable("ANCHOR_BUSYBOX_TAR");
        Assert.True(busybox is not null && File.Exists(busybox), "ANCHOR_BUSYBOX_TAR names the busybox rootfs tar (test.sh sets it)");
        var log = new StringWriter();
        var engine = new AnchorEngine(new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"))) { Progress = log };
        using (var tar = File.OpenRead(busybox!))
        {
            engine.ImageService.Import(tar, "busybox", [], null);
        }

        var context = Directory.CreateDirectory(Path.Combine(_dir, "ctx")).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN echo to-stdout && echo to-stderr >&2 && echo again\n");
        var output = new MemoryStream();
        try
        {
            engine.Builds.Build(new BuildRequest
        {
            ContextDirectory = context,
            DockerfilePath = Path.Combine(context, "Dockerfile"),
            Log = log,
            RunOutput = output,
        });
        }
        catch (EngineException e)
        {
            Assert.Fail(e.Message + "\n" + log);
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("to-stdout\n", text, StringComparison.Ordinal);
        Assert.Contains("to-stderr\n", text, StringComparison.Ordinal);
        Assert.Contains("again\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("to-stdout\n", log.ToString(), StringComparison.Ordinal); // the step line names it, no output line
        Assert.Contains(" ---> Running in ", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Successfully built ", log.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
