using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Init;

/// <summary>
/// The end of both hidden stages (a container's init and an exec into it), once the process sits
/// in the container's namespaces and root: stdio or pty, working directory, command lookup,
/// capabilities and credentials, close_range, execve. Synchronous, on the thread that execs.
/// </summary>
public static class ProcessExec
{
    public static void Run(SpecProcess process, InitOptions options)
    {
        SetupStdio(options, process.Terminal);
        var path = Become(process, createCwd: !options.IsExec);

        // Descriptors the runtime opened (and any the launcher leaked) must not reach the container;
        // the report pipe closes too, which tells the launcher that execve succeeded.
        Sys.Check(LibC.close_range(3, uint.MaxValue, LibC.CLOSE_RANGE_CLOEXEC), "close_range");
        PhaseTrace.Mark("init: exec");
        Exec.Execve(path, process.Args, process.Env);
    }

    /// <summary>
    /// Turns the calling thread into the spec's process short of stdio and execve: working
    /// directory, command lookup in the container's PATH, bounding set, credentials, capabilities,
    /// no_new_privs. Shared by the init stage and the direct spawn's thread (ThreadSetup).
    /// </summary>
    /// <returns>The program to execve (throws <see cref="InitFailureException"/> with docker's code).</returns>
    public static string Become(SpecProcess process, bool createCwd)
    {
        ArgumentNullException.ThrowIfNull(process);
        EnterWorkingDirectory(process.Cwd, create: createCwd);
        var (path, code, error) = CommandResolver.Resolve(process.Args.Count > 0 ? process.Args[0] : "", process.Env);
        if (path is null)
        {
            throw new InitFailureException(code, error!);
        }

        // The bounding set needs CAP_SETPCAP, so it goes first; capset after the uid change, since
        // leaving uid 0 clears the permitted and effective sets anyway (capabilities(7)), which is
        // what docker gives a non-root user: CapEff 0.
        if (process.Capabilities is { } capabilities)
        {
            Capabilities.DropBounding(capabilities);
        }

        Credentials.Apply(process.User);
        if (process.User.Uid == 0 && process.Capabilities is { } rootCapabilities)
        {
            Capabilities.Apply(rootCapabilities);
        }

        if (process.NoNewPrivileges)
        {
            Sys.Check(LibC.prctl(LibC.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl", "PR_SET_NO_NEW_PRIVS");
        }

        return path;
    }

    private static void SetupStdio(InitOptions options, bool terminal)
    {
        if (terminal)
        {
            var (master, slave) = Terminal.Open();
            InitChannel.SendLine(options.ReportFd, $"pty {master.ToString(CultureInfo.InvariantCulture)}");
            InitChannel.WaitFor(options.SyncFd, InitChannel.Ack);
            LibC.close(master);
            Terminal.BecomeControlling(slave);
            return;
        }

        // Leave the host terminal's session: job-control signals go to anchor, which forwards them.
        LibC.setsid();
        if (!options.KeepStdin)
        {
            // Without -i stdin is /dev/null; a detached exec (exec -d) loses its output too, as in docker.
            var devNull = LibC.open("/dev/null", LibC.O_RDWR, 0);
            Sys.Check(devNull, "open", "/dev/null");
            for (var fd = 0; fd <= (options.Detached ? 2 : 0); fd++)
            {
                Sys.Check(LibC.dup2(devNull, fd), "dup2");
            }

            LibC.close(devNull);
        }
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
