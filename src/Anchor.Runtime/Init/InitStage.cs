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
            Console.Error.WriteLine($"anchor: {ErrorText.Of(e)}");
            return InitExitCodes.SetupFailed;
        }

        WarmUp();
        InitChannel.WaitFor(options.SyncFd, InitChannel.Go);
        try
        {
            if (options.IsExec)
            {
                Join(options);
            }
            else
            {
                Execute(options);
            }

            return InitExitCodes.SetupFailed; // not reached: both exec or throw
        }
        catch (InitFailureException failure)
        {
            Report(options, failure.ExitCode, failure.Message);
            return failure.ExitCode;
        }
        catch (Exception e)
        {
            Report(options, InitExitCodes.SetupFailed, ErrorText.Of(e));
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
        RootfsSetup.SetHostname(spec);

        RootfsSetup.PivotRoot(spec.Root.Path);
        MaskedPaths.Apply(spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths);
        if (spec.Root.Readonly)
        {
            RootfsSetup.MakeRootReadOnly();
        }

        PhaseTrace.Mark("init: pivoted and masked");
        ProcessExec.Run(spec.Process, options);
    }

    /// <summary>
    /// exec: the launcher already joined this process to the container's ipc, uts, net and pid
    /// namespaces and its cgroup. The mount namespace is joined here, by this thread only
    /// (setns(2) needs an unshared fs_struct: unshare(CLONE_FS) first), and this thread then execs,
    /// so the new program has the container's root and working directory.
    /// </summary>
    private static void Join(InitOptions options)
    {
        var process = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(options.Path), Oci.OciJsonContext.Default.SpecProcess)
            ?? throw new InvalidDataException($"{options.Path}: empty process spec");
        var mnt = LibC.open($"/proc/{options.JoinPid.ToString(CultureInfo.InvariantCulture)}/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        Sys.Check(mnt, "open", "mount namespace");
        Sys.Unshare(LibC.CLONE_FS);
        Sys.Check(LibC.setns(mnt, LibC.CLONE_NEWNS), "setns", "mount namespace");
        LibC.close(mnt);
        Sys.Check(LibC.chdir("/"), "chdir", "/");
        ProcessExec.Run(process, options);
    }
}
