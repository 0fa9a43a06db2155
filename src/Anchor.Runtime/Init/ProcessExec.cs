using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// The end of the init stage, once the process sits in the container's namespaces and root: working
/// directory, command lookup, stdio or pty, then the exec tail (<see cref="ExecTail"/>) on the
/// calling thread, which execs.
/// </summary>
public static class ProcessExec
{
    public static void Run(SpecProcess process, InitOptions options, ExecConfinement confinement)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(options);
        var path = Prepare(process, createCwd: true);
        using var request = ExecTail.Build(process, path, confinement);
        // Without a terminal, the direct spawn's stdio: /dev/null on stdin unless -i, on 1 and 2 for build -q.
        using var stdio = process.Terminal ? null : Launch.SpawnStdio.Create(new Launch.LaunchStdio(Launch.StdioKind.Inherit, options.KeepStdin, options.Quiet));
        if (stdio is not null)
        {
            stdio.ApplyTo(request);
        }
        else
        {
            SetupTerminal(request, options);
        }

        // Descriptors the runtime opened (and any the launcher leaked) must not reach the container;
        // the report pipe closes too, which tells the launcher that execve succeeded.
        Sys.Check(LibC.close_range(3, uint.MaxValue, LibC.CLOSE_RANGE_CLOEXEC), "close_range");
        PhaseTrace.Mark("init: exec");
        var failure = request.Exec();
        var (code, message) = ExecTail.Describe(failure, process.Args);
        throw new InitFailureException(code, message);
    }

    /// <summary>
    /// What must happen in the container's root before the exec tail: its working directory
    /// (created when missing, as docker does for a container's first process) and the program's
    /// path, looked up in the container's PATH. Shared by the init stage and the direct spawn.
    /// </summary>
    /// <returns>The program to execve (throws <see cref="InitFailureException"/> with docker's code).</returns>
    public static string Prepare(SpecProcess process, bool createCwd)
    {
        ArgumentNullException.ThrowIfNull(process);
        EnterWorkingDirectory(process.Cwd, create: createCwd);
        var (path, code, error) = CommandResolver.Resolve(process.Args.Count > 0 ? process.Args[0] : "", process.Env);
        return path ?? throw new InitFailureException(code, error!);
    }

    /// <summary>A pty of the container's devpts: the master goes to the launcher, the slave becomes the controlling terminal.</summary>
    private static void SetupTerminal(ExecRequest request, InitOptions options)
    {
        var (master, slave) = Terminal.Open();
        InitChannel.SendLine(options.ReportFd, $"pty {master.ToString(CultureInfo.InvariantCulture)}");
        InitChannel.WaitFor(options.SyncFd, InitChannel.Ack);
        LibC.close(master);
        request.SetStdio(slave, slave, slave);
        request.AddFlags(AnchorNative.CTTY);
    }

    /// <param name="create">
    /// docker creates a missing WORKDIR or -w directory when a container starts, but an exec with a
    /// -w that does not exist fails (exit 126) and creates nothing.
    /// </param>
    private static void EnterWorkingDirectory(string cwd, bool create)
    {
        if (LibC.chdir(cwd) == 0)
        {
            return;
        }

        if (create && Sys.LastErrno == LibC.ENOENT)
        {
            Directory.CreateDirectory(cwd);
            Sys.Check(LibC.chdir(cwd), "chdir", cwd);
            return;
        }

        throw new InitFailureException(InitExitCodes.CannotInvoke, $"chdir to cwd (\"{cwd}\") set in config.json failed: {new LinuxException(Sys.LastErrno, "chdir", cwd).Message}");
    }
}
