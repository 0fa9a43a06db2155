using System.Diagnostics;
using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Init;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Runtime.Launch;

/// <summary>
/// An init stage that has been spawned in its namespaces and waits on the sync pipe.
/// <see cref="Release(ICgroupManager?, bool)"/> puts it in its cgroup and lets it run; disposing an
/// unreleased one kills it, so a failure while the bundle is prepared leaves no process behind.
/// </summary>
public sealed class PendingInit : PendingContainer
{
    private readonly SpawnThread _spawn;
    private Process? _process;
    private int _syncWrite;
    private int _reportRead;
    private bool _released;
    private bool _disposed;

    internal PendingInit(SpawnThread spawn, int syncWrite, int reportRead)
    {
        _spawn = spawn;
        _syncWrite = syncWrite;
        _reportRead = reportRead;
    }

    /// <summary>
    /// The init's host PID once it has been spawned (waits for the spawn thread): its namespaces
    /// exist and can be configured, e.g. a veth moved into /proc/PID/ns/net, before <see cref="Release"/>.
    /// </summary>
    public int Pid => (_process ??= _spawn.Join()).Id;

    public override int NamespacePid => Pid;

    public override bool ReadsBundle => true;

    public override Func<int>? EarlyCgroupMember => () => Pid;

    public override StartedContainer Release(ICgroupManager? cgroup, Oci.Runtime.Spec spec, Action<int>? beforeExec = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Release(cgroup, spec.Process.Terminal, beforeExec);
    }

    /// <param name="cgroup">The cgroup to move init into first, or null when it is there already.</param>
    public StartedContainer Release(ICgroupManager? cgroup, bool terminal, Action<int>? beforeExec = null)
    {
        _process ??= _spawn.Join();
        cgroup?.AddProcess(_process.Id);
        PhaseTrace.Mark("launch: in cgroup");
        // Before "go": a failure here leaves init unreleased, and Dispose kills it.
        beforeExec?.Invoke(_process.Id);
        Sys.WriteAll(_syncWrite, [InitChannel.Go]);
        var started = ReadReports(terminal);
        _released = true;
        return started;
    }

    private StartedContainer ReadReports(bool terminal)
    {
        var master = -1;
        var code = 0;
        string? error = null;
        var reportRead = _reportRead;
        _reportRead = -1;
        using (var stream = new FileStream(new SafeFileHandle(reportRead, ownsHandle: true), FileAccess.Read, 1))
        using (var reader = new StreamReader(stream))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith("pty ", StringComparison.Ordinal) && terminal)
                {
                    master = CopyDescriptor(_process!.Id, int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                    HostTerminal.CopySize(0, master);
                    Sys.WriteAll(_syncWrite, [InitChannel.Ack]);
                }
                else if (line.StartsWith("error ", StringComparison.Ordinal))
                {
                    var space = line.IndexOf(' ', 6);
                    code = int.Parse(line.AsSpan(6, space - 6), CultureInfo.InvariantCulture);
                    error = line[(space + 1)..];
                }
            }
        }

        return new StartedContainer(_process!.Id, _process, master, code, error);
    }

    /// <summary>Takes a copy of a descriptor of another process (pidfd_getfd(2), Linux 5.6).</summary>
    private static int CopyDescriptor(int pid, int fd)
    {
        var pidfd = LibC.pidfd_open(pid);
        Sys.Check(pidfd, "pidfd_open", pid.ToString(CultureInfo.InvariantCulture));
        try
        {
            var copy = LibC.pidfd_getfd(pidfd, fd);
            Sys.Check(copy, "pidfd_getfd");
            Sys.SetInheritable(copy, false);
            return copy;
        }
        finally
        {
            LibC.close(pidfd);
        }
    }

    public override void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_syncWrite >= 0)
        {
            LibC.close(_syncWrite);
            _syncWrite = -1;
        }

        if (_reportRead >= 0)
        {
            LibC.close(_reportRead);
            _reportRead = -1;
        }

        if (!_released && (_process ?? _spawn.JoinQuietly()) is { } process)
        {
            // Closing the sync pipe already makes init exit (it never runs unreleased); SIGKILL
            // covers a child stuck anywhere else.
            LibC.kill(process.Id, 9);
            process.WaitForExit();
            process.Dispose();
        }
    }
}
