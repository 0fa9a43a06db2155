using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Runtime.Launch;

/// <summary>
/// Starts a container's init stage in new namespaces without forking managed code: a dedicated
/// thread unshares the namespaces and calls Process.Start, which vforks from that thread, so the
/// child (our own binary, <c>anchor init</c>) is born in them and is PID 1 of the new pid namespace.
/// The thread is then dropped: it can create no more threads (see docs/linux-from-dotnet.md).
/// </summary>
public static class ContainerLauncher
{
    private static readonly Lazy<bool> WarmedUp = new(() =>
    {
        // A thread that joined a new pid namespace can no longer create threads (clone fails with
        // EINVAL): make .NET start its signal-handling thread now, on an ordinary thread.
        PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ => { }).Dispose();
        return true;
    });

    public static StartedContainer Start(LaunchRequest request)
    {
        _ = WarmedUp.Value;
        var (syncRead, syncWrite) = Sys.Pipe();
        var (reportRead, reportWrite) = Sys.Pipe();
        Process? process = null;
        try
        {
            Sys.SetInheritable(syncRead, true);
            Sys.SetInheritable(reportWrite, true);
            var init = new InitOptions(request.Bundle.Directory, syncRead, reportWrite, request.KeepStdin);
            process = SpawnInNamespaces(NamespaceFlags(request.Spec), init);
        }
        finally
        {
            LibC.close(syncRead);
            LibC.close(reportWrite);
        }

        try
        {
            request.Cgroup?.AddProcess(process.Id);
            Sys.WriteAll(syncWrite, [InitChannel.Go]);
            return ReadReports(process, reportRead, syncWrite, request.Spec.Process.Terminal);
        }
        catch
        {
            LibC.kill(process.Id, 9);
            process.WaitForExit();
            process.Dispose();
            throw;
        }
        finally
        {
            LibC.close(syncWrite);
        }
    }

    private static int NamespaceFlags(Spec spec)
    {
        var flags = 0;
        foreach (var ns in spec.Linux.Namespaces)
        {
            if (ns.Path is not null)
            {
                continue; // joining existing namespaces is the lifecycle issue's exec path.
            }

            flags |= ns.Type switch
            {
                "mount" => LibC.CLONE_NEWNS,
                "uts" => LibC.CLONE_NEWUTS,
                "ipc" => LibC.CLONE_NEWIPC,
                "network" => LibC.CLONE_NEWNET,
                "pid" => LibC.CLONE_NEWPID,
                "cgroup" => LibC.CLONE_NEWCGROUP,
                _ => throw new NotSupportedException($"namespace type {ns.Type} is not supported"),
            };
        }

        return flags;
    }

    private static Process SpawnInNamespaces(int flags, InitOptions init)
    {
        Process? started = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Sys.Unshare(flags);
                var psi = new ProcessStartInfo(Environment.ProcessPath ?? "/proc/self/exe") { UseShellExecute = false };
                foreach (var arg in init.ToArguments())
                {
                    psi.ArgumentList.Add(arg);
                }

                started = Process.Start(psi) ?? throw new InvalidOperationException("could not start the init stage");
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024) { Name = "anchor-ns" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }

        return started!;
    }

    private static StartedContainer ReadReports(Process process, int reportRead, int syncWrite, bool terminal)
    {
        var master = -1;
        var code = 0;
        string? error = null;
        using (var stream = new FileStream(new SafeFileHandle(reportRead, ownsHandle: true), FileAccess.Read, 1))
        using (var reader = new StreamReader(stream))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith("pty ", StringComparison.Ordinal) && terminal)
                {
                    master = CopyMaster(process.Id, int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                    HostTerminal.CopySize(0, master);
                    Sys.WriteAll(syncWrite, [InitChannel.Ack]);
                }
                else if (line.StartsWith("error ", StringComparison.Ordinal))
                {
                    var space = line.IndexOf(' ', 6);
                    code = int.Parse(line.AsSpan(6, space - 6), CultureInfo.InvariantCulture);
                    error = line[(space + 1)..];
                }
            }
        }

        return new StartedContainer(process, master, code, error);
    }

    /// <summary>Takes a copy of a descriptor of another process (pidfd_getfd(2), Linux 5.6).</summary>
    private static int CopyMaster(int pid, int fd)
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
}
