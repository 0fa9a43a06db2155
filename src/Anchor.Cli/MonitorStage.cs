using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Monitor;
using Anchor.Linux.Interop;

namespace Anchor.Cli;

/// <summary>
/// The hidden <c>anchor monitor</c> stage: detaches from the CLI (new session, stdio on /dev/null)
/// and runs <see cref="ContainerMonitor"/> until the container has ended for good.
/// </summary>
public static class MonitorStage
{
    public static int Run(string[] args)
    {
        Anchor.Linux.PhaseTrace.Mark("monitor: main");
        MonitorOptions options;
        try
        {
            options = MonitorOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"anchor: {Anchor.Linux.ErrorText.Of(e)}");
            return ExitCodes.EngineError;
        }

        // setsid(2): no controlling terminal, so a closing terminal (SIGHUP) or a Ctrl-C meant for
        // the CLI never reaches the monitor.
        LibC.setsid();
        var devNull = LibC.open("/dev/null", LibC.O_RDWR, 0);
        if (devNull >= 0)
        {
            for (var fd = 0; fd <= 2; fd++)
            {
                LibC.dup2(devNull, fd);
            }

            LibC.close(devNull);
        }

        var paths = new AnchorPaths(options.Root, options.RunRoot);
        return new ContainerMonitor(paths, new ContainerStore(paths)).Run(options);
    }
}
