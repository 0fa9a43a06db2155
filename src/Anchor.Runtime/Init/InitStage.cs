using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Launch;
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
            Execute(options);

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
        // Before pivot_root: the seccomp cache and libseccomp are host files.
        var confinement = ContainerConfinement.For(spec, new LaunchContext(options.SeccompCache));
        var steps = KernelSetupSteps.Instance;
        SetupSequence.Filesystem(spec, steps);
        PhaseTrace.Mark("init: mounts done");
        SetupSequence.Pivot(spec, steps);
        SetupSequence.KernelInterfaces(spec, steps, procDeferred: false);

        PhaseTrace.Mark("init: pivoted and masked");
        ProcessExec.Run(spec.Process, options, confinement);
    }
}
