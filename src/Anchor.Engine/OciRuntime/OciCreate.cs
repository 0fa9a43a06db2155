using System.Diagnostics;
using System.Globalization;
using System.Text;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// <c>create</c>: checks the bundle, claims the ID, starts <see cref="OciHolder"/> with create's own
/// stdio and waits until the container's process waits at its gate; then records the state and
/// writes --pid-file. A failed create leaves no directory, process or cgroup behind.
/// </summary>
public static class OciCreate
{
    /// <returns>The container process's pid.</returns>
    public static int Create(OciRuntimeRoot root, string id, string bundleDirectory, string? pidFile, string? consoleSocket)
    {
        ArgumentNullException.ThrowIfNull(root);
        OciRuntimeRoot.ValidateId(id);
        var bundle = OciBundle.Load(bundleDirectory, id);
        if (bundle.Spec.Process.Terminal && consoleSocket is null)
        {
            throw new EngineException("cannot allocate tty if runc will detach without setting console socket", OciRuntimeRoot.ErrorExit);
        }

        if (!bundle.Spec.Process.Terminal && consoleSocket is not null)
        {
            throw new EngineException("cannot use console socket if runc will not detach or allocate tty", OciRuntimeRoot.ErrorExit);
        }

        // Held until the state is saved; the holder holds it too from its first step.
        using var claim = root.Claim(id, bundle.CgroupPath);
        OwnedFd? ready = null;
        try
        {
            (var pid, ready) = StartHolder(root, id, bundle.Directory, consoleSocket is null ? null : Path.GetFullPath(consoleSocket));
            root.Save(new OciContainerState
            {
                Id = id,
                OciVersion = bundle.Spec.OciVersion,
                Pid = pid,
                PidStartTime = ProcessLiveness.StartTime(pid) ?? 0,
                Bundle = bundle.Directory,
                Rootfs = bundle.Spec.Root.Path,
                Created = DateTimeOffset.UtcNow,
                CgroupPath = bundle.CgroupPath,
                Owner = "root",
                Annotations = bundle.Spec.Annotations,
            });
            OciPidFile.Write(pidFile, pid);

            return pid;
        }
        catch
        {
            if (root.TryLoad(id) is { Pid: > 0 } state)
            {
                LibC.kill(state.Pid, 9);
            }

            // A start that failed at or after its release leaves the cgroup to its caller.
            OciCgroupPath.Manager(bundle.CgroupPath).Destroy();
            root.Remove(id);
            throw;
        }
        finally
        {
            // The holder watches this pipe: its end, with no state recorded, means this create
            // died (or failed) before the container existed for anyone, and the holder gives up.
            ready?.Dispose();
        }
    }

    /// <summary>Starts the holder and reads its report; returns the container's pid and the report pipe, kept open until the state is recorded.</summary>
    private static (int Pid, OwnedFd Ready) StartHolder(OciRuntimeRoot root, string id, string bundle, string? consoleSocket)
    {
        var (readyRead, readyWrite) = Sys.Pipe();
        var ready = new OwnedFd(readyRead);
        try
        {
            try
            {
                Sys.SetInheritable(readyWrite, true);
                // Not redirected: the holder's stdio, create's own, becomes the container's.
                var psi = new ProcessStartInfo(Environment.ProcessPath ?? "/proc/self/exe") { UseShellExecute = false };
                foreach (var arg in OciHolder.Arguments(root.Directory, id, bundle, readyWrite, consoleSocket))
                {
                    psi.ArgumentList.Add(arg);
                }

                using var holder = Process.Start(psi) ?? throw new EngineException("cannot start the container's holder", OciRuntimeRoot.ErrorExit);
            }
            finally
            {
                LibC.close(readyWrite);
            }

            var line = ReadLine(ready.Fd);
            if (line is not null && line.StartsWith("ok ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return (pid, ready);
            }

            throw new EngineException(line is not null && line.StartsWith("error ", StringComparison.Ordinal) ? line[6..] : "container init exited unexpectedly", OciRuntimeRoot.ErrorExit);
        }
        catch
        {
            ready.Dispose();
            throw;
        }
    }

    /// <summary>One line from the pipe, read a byte at a time (nothing past it is taken), or null at end of file.</summary>
    private static unsafe string? ReadLine(int fd)
    {
        var line = new List<byte>();
        byte b;
        while (true)
        {
            var n = LibC.read(fd, &b, 1);
            if (n < 0 && Sys.LastErrno == LibC.EINTR)
            {
                continue;
            }

            if (n <= 0)
            {
                return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
            }

            if (b == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. line]);
            }

            line.Add(b);
        }
    }
}
