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

    /// <summary>Spawns and releases in one go (see <see cref="Spawn"/> to overlap the two).</summary>
    public static StartedContainer Start(LaunchRequest request)
    {
        using var pending = Spawn(request.Bundle.Directory, request.Spec.Linux.Namespaces, request.KeepStdin);
        return pending.Release(request.Cgroup, request.Spec.Process.Terminal);
    }

    /// <summary>
    /// Starts <c>anchor init</c> in new namespaces; it waits for <see cref="PendingContainer.Release"/>
    /// before it reads the bundle. Spawning early lets the init stage's runtime start-up overlap
    /// with the engine's preparation of the bundle and cgroup.
    /// </summary>
    public static PendingContainer Spawn(string bundleDirectory, IEnumerable<SpecNamespace> namespaces, bool keepStdin)
    {
        _ = WarmedUp.Value;
        var (syncRead, syncWrite) = Sys.Pipe();
        var (reportRead, reportWrite) = Sys.Pipe();
        try
        {
            Sys.SetInheritable(syncRead, true);
            Sys.SetInheritable(reportWrite, true);
            var init = new InitOptions(bundleDirectory, syncRead, reportWrite, keepStdin);
            var process = SpawnInNamespaces(NamespaceFlags(namespaces), init);
            PhaseTrace.Mark("launch: spawned");
            return new PendingContainer(process, syncWrite, reportRead);
        }
        catch
        {
            LibC.close(syncWrite);
            LibC.close(reportRead);
            throw;
        }
        finally
        {
            LibC.close(syncRead);
            LibC.close(reportWrite);
        }
    }

    private static int NamespaceFlags(IEnumerable<SpecNamespace> namespaces)
    {
        var flags = 0;
        foreach (var ns in namespaces)
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
}
