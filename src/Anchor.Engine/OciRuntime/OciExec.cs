using System.Globalization;
using System.Text.Json;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// <c>exec</c>: a new process in a running container, through the same join as <c>anchor exec</c>
/// (<see cref="ContainerLauncher.Join"/>: setns into its namespaces, its cgroup, its confinement).
/// With --detach the process is left to whoever inherits it when this process exits (containerd's
/// shim, a subreaper, reaps it and reads its status); otherwise this process waits and returns its
/// exit code, relaying a terminal as run does.
/// </summary>
public static class OciExec
{
    public static int Run(OciRuntimeRoot root, OciExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(request);
        var state = root.Load(request.Id);
        switch (OciRuntimeRoot.StatusOf(state))
        {
            case OciStatus.Stopped:
                throw new EngineException("cannot exec in a stopped container", OciRuntimeRoot.ErrorExit);
            case OciStatus.Paused:
                throw new EngineException("cannot exec in a paused container", OciRuntimeRoot.ErrorExit);
        }

        var spec = OciBundle.Load(state.Bundle, state.Id).Spec;
        var process = Process(spec, request);
        if (process.Terminal && request.Detach && request.ConsoleSocket is null)
        {
            throw new EngineException("cannot allocate tty if runc will detach without setting console socket", OciRuntimeRoot.ErrorExit);
        }

        if (!process.Terminal && request.ConsoleSocket is not null)
        {
            throw new EngineException("cannot use console socket if runc will not detach or allocate tty", OciRuntimeRoot.ErrorExit);
        }

        var console = request.ConsoleSocket is null ? -1 : UnixSocket.Connect(Path.GetFullPath(request.ConsoleSocket));
        try
        {
            var stdio = process.Terminal
                ? new LaunchStdio(StdioKind.Terminal, KeepStdin: true) { TerminalReady = master => { if (console >= 0) { DescriptorPassing.Send(console, master, "/dev/ptmx"); } } }
                : new LaunchStdio(StdioKind.Inherit, KeepStdin: true);
            var cgroup = OciRuntimeRoot.Cgroup(state);
            var pending = ContainerLauncher.Join(process, state.Pid, spec, LaunchContext.None, stdio, cgroup);
            var started = pending.Release(cgroup);
            pending.Dispose();
            if (started.Failed)
            {
                started.Dispose();
                throw new EngineException(started.InitError!, OciRuntimeRoot.ErrorExit);
            }

            OciPidFile.Write(request.PidFile, started.Pid);

            if (request.Detach)
            {
                // Never reaped here: its exit status is its new parent's to collect.
                return 0;
            }

            using (started)
            {
                if (console >= 0)
                {
                    return started.WaitForExit();
                }

                using var session = new ForegroundSession(started, attachStdin: process.Terminal);
                return session.Wait();
            }
        }
        finally
        {
            if (console >= 0)
            {
                LibC.close(console);
            }
        }
    }

    /// <summary>runc's getProcess: the --process file as given, or the container's process with the command line's changes.</summary>
    private static SpecProcess Process(Spec spec, OciExecRequest request)
    {
        SpecProcess process;
        if (request.ProcessFile is not null)
        {
            try
            {
                process = JsonSerializer.Deserialize(File.ReadAllBytes(request.ProcessFile), OciJsonContext.Default.SpecProcess)
                    ?? throw new EngineException("process property must not be empty", OciRuntimeRoot.ErrorExit);
            }
            catch (JsonException e)
            {
                throw new EngineException($"{request.ProcessFile}: {e.Message}", OciRuntimeRoot.ErrorExit);
            }

            process = OciBundle.Complete(process);
        }
        else
        {
            if (request.Command.Count == 0)
            {
                throw new EngineException("args must not be empty", OciRuntimeRoot.ErrorExit);
            }

            process = spec.Process with
            {
                Args = request.Command,
                Terminal = request.Tty,
                Cwd = request.Cwd ?? spec.Process.Cwd,
                Env = [.. spec.Process.Env, .. request.Env],
                User = request.User is { } user ? User(user) : spec.Process.User,
            };
        }

        return process.Args.Count == 0 ? throw new EngineException("args must not be empty", OciRuntimeRoot.ErrorExit) : process;
    }

    /// <summary>--user UID[:GID], numeric as runc takes it.</summary>
    private static SpecUser User(string value)
    {
        var parts = value.Split(':', 2);
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || (parts.Length == 2 && !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new EngineException($"parsing {value} as int", OciRuntimeRoot.ErrorExit);
        }

        return new SpecUser { Uid = uid, Gid = parts.Length == 2 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : 0 };
    }
}
