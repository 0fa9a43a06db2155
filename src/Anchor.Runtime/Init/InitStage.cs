using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Init;

/// <summary>
/// PID 1 of a new container until it execs the user's command: synchronous code only, on the
/// main thread, in the namespaces its launcher unshared. The order follows runc and youki:
/// mounts, pivot_root, masked paths, hostname, stdio, credentials, capabilities, close_range, execve.
/// </summary>
public static class InitStage
{
    public static int Run(IReadOnlyList<string> args)
    {
        PhaseTrace.Mark("init: main");
        InitOptions options;
        try
        {
            options = InitOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"anchor: {e.Message}");
            return InitExitCodes.SetupFailed;
        }

        WarmUp();
        InitChannel.WaitFor(options.SyncFd, InitChannel.Go);
        try
        {
            Execute(options);
            return InitExitCodes.SetupFailed; // not reached: Execute execs or throws
        }
        catch (InitFailureException failure)
        {
            Report(options, failure.ExitCode, failure.Message);
            return failure.ExitCode;
        }
        catch (Exception e)
        {
            Report(options, InitExitCodes.SetupFailed, e.Message);
            return InitExitCodes.SetupFailed;
        }
    }

    /// <summary>
    /// Runs the first-use paths (JSON metadata for the spec types, file I/O) while the launcher is
    /// still preparing the bundle, so that after the release only the real work remains.
    /// </summary>
    private static void WarmUp()
    {
        _ = System.Text.Json.JsonSerializer.Deserialize(
            """{"process":{"args":["x"],"user":{"uid":0,"gid":0},"capabilities":{"bounding":[]}},"root":{"path":"/"},"mounts":[{"destination":"/","options":[]}],"linux":{"namespaces":[{"type":"pid"}],"maskedPaths":[],"readonlyPaths":[]}}"""u8,
            Oci.OciJsonContext.Default.Spec);
        _ = File.Exists("/proc/self/exe");
    }

    private static void Report(InitOptions options, int code, string message)
    {
        try
        {
            InitChannel.SendLine(options.ReportFd, $"error {code.ToString(CultureInfo.InvariantCulture)} {message.ReplaceLineEndings(" ")}");
        }
        catch (LinuxException)
        {
            // The launcher is gone; the exit code still tells.
        }
    }

    private static void Execute(InitOptions options)
    {
        PhaseTrace.Mark("init: released");
        var spec = new Bundle(options.BundleDirectory).Read();
        var namespaces = spec.Linux.Namespaces;
        if (namespaces.Any(n => n.Type == "network" && n.Path is null))
        {
            Loopback.Up();
        }

        PhaseTrace.Mark("init: spec read");
        RootfsSetup.Prepare(spec);
        PhaseTrace.Mark("init: mounts done");
        if (spec.Hostname is { Length: > 0 } hostname && namespaces.Any(n => n.Type == "uts"))
        {
            Sys.Check(LibC.sethostname(hostname, System.Text.Encoding.UTF8.GetByteCount(hostname)), "sethostname", hostname);
        }

        RootfsSetup.PivotRoot(spec.Root.Path);
        MaskedPaths.Apply(spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths);
        if (spec.Root.Readonly)
        {
            RootfsSetup.MakeRootReadOnly();
        }

        PhaseTrace.Mark("init: pivoted and masked");
        SetupStdio(options, spec.Process.Terminal);
        var process = spec.Process;
        EnterWorkingDirectory(process.Cwd);
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

        // Descriptors the runtime opened (and any the launcher leaked) must not reach the container;
        // the report pipe closes too, which tells the launcher that execve succeeded.
        Sys.Check(LibC.close_range(3, uint.MaxValue, LibC.CLOSE_RANGE_CLOEXEC), "close_range");
        PhaseTrace.Mark("init: exec");
        Exec.Execve(path, process.Args, process.Env);
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
            var devNull = LibC.open("/dev/null", LibC.O_RDONLY, 0);
            Sys.Check(devNull, "open", "/dev/null");
            Sys.Check(LibC.dup2(devNull, 0), "dup2");
            LibC.close(devNull);
        }
    }

    private static void EnterWorkingDirectory(string cwd)
    {
        if (LibC.chdir(cwd) == 0)
        {
            return;
        }

        // docker creates a missing WORKDIR / -w directory.
        if (Sys.LastErrno == LibC.ENOENT)
        {
            Directory.CreateDirectory(cwd);
            Sys.Check(LibC.chdir(cwd), "chdir", cwd);
            return;
        }

        throw new InitFailureException(InitExitCodes.CannotInvoke, $"chdir to cwd (\"{cwd}\") set in config.json failed: {new LinuxException(Sys.LastErrno, "chdir", cwd).Message}");
    }
}
