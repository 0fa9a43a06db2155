using System.Diagnostics;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Monitor;

/// <summary>
/// Starts a detached container: launches <c>anchor monitor</c> (which puts itself in a new session
/// and owns the container from then on) and waits for its first-start report.
/// </summary>
public sealed class MonitorLauncher(AnchorPaths paths, ContainerStore containers)
{
    /// <param name="attachFd">A connected attach socket the monitor adopts before the container starts (start -a), or -1.</param>
    public void Start(ContainerRecord record, int attachFd = -1)
    {
        var (readyRead, readyWrite) = Sys.Pipe();
        Process monitor;
        try
        {
            Sys.SetInheritable(readyWrite, true);
            if (attachFd >= 0)
            {
                Sys.SetInheritable(attachFd, true);
            }

            var psi = new ProcessStartInfo(StageBinary.Path)
            {
                UseShellExecute = false,
                // Never hand the CLI's own stdio to a process that outlives it: a caller reading our
                // output through a pipe would otherwise wait for the container to end.
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new MonitorOptions(paths.Root, paths.RunRoot, record.Id, readyWrite, attachFd).ToArguments())
            {
                psi.ArgumentList.Add(arg);
            }

            PhaseTrace.Mark("run -d: starting the monitor");
            monitor = Process.Start(psi) ?? throw new EngineException("cannot start the container monitor");
            PhaseTrace.Mark("run -d: monitor started");
        }
        finally
        {
            LibC.close(readyWrite);
            if (attachFd >= 0)
            {
                // The monitor has its copy: ours would keep the connection open after the monitor's end.
                LibC.close(attachFd);
            }
        }

        string? line;
        using (var stream = new FileStream(new SafeFileHandle(readyRead, ownsHandle: true), FileAccess.Read, 1))
        using (var reader = new StreamReader(stream))
        {
            line = reader.ReadLine();
        }

        PhaseTrace.Mark("run -d: monitor reported");
        monitor.StandardInput.Close();
        monitor.StandardOutput.Close();
        monitor.StandardError.Close();
        if (line == MonitorReport.Ok)
        {
            return;
        }

        // The monitor reports only failures of the start (docker's ContainerStart).
        if (MonitorReport.Parse(line) is { } failure)
        {
            throw failure;
        }

        monitor.WaitForExit(1000);
        containers.Modify(record.Id, r => r with { Status = ContainerStatus.Exited, MonitorPid = 0, Pid = 0 });
        throw new EngineException($"the monitor of container {record.Id[..12]} exited before starting it");
    }
}
