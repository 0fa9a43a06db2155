using System.Runtime.InteropServices;

namespace Anchor.Runtime.Launch;

/// <summary>The signals an attached client passes on to the container (docker's sig-proxy), and their numbers (signal(7)).</summary>
public static class ForwardedSignals
{
    public static readonly PosixSignal[] All = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    /// <summary>The Linux number of a forwarded signal; 0 for any other.</summary>
    public static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGTERM => 15,
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGQUIT => 3,
        _ => 0,
    };
}
