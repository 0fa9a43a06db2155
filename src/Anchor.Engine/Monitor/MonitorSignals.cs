using System.Runtime.CompilerServices;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Monitor;

/// <summary>
/// The monitor's SIGTERM (a shutdown's, or an operator's `kill MONITOR`), forwarded to the
/// container as before, without .NET's signal thread (PosixSignalRegistration starts one): the
/// signal is blocked and read from a signalfd(2) that the relay polls with the container's output.
/// A process-directed signal goes to any thread that does not block it, and its default action
/// ends the whole process: so it is blocked on the finalizer thread too (the only other thread the
/// runtime starts), from a finalizer, the one code that runs there.
/// </summary>
internal static unsafe class MonitorSignals
{
    private const int SIGTERM = 15;
    private static int s_fd = -1;

    /// <summary>Blocks SIGTERM on this thread (and once on the finalizer thread); the descriptor to poll for it.</summary>
    public static int BlockTerm()
    {
        Mask(LibC.SIG_BLOCK);
        if (s_fd < 0)
        {
            LeaveFinalizable();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var set = stackalloc byte[LibC.SigsetSize];
            TermSet(set);
            s_fd = LibC.signalfd(-1, set, LibC.SFD_NONBLOCK | LibC.SFD_CLOEXEC);
            if (s_fd < 0)
            {
                throw LinuxException.FromLastError("signalfd");
            }
        }

        return s_fd;
    }

    /// <summary>Unblocks SIGTERM on this thread: its default action applies again (a pending one ends the monitor, as it did before the relay).</summary>
    public static void UnblockTerm() => Mask(LibC.SIG_UNBLOCK);

    /// <summary>Consumes the pending signals; whether any was read.</summary>
    public static bool Read()
    {
        var info = stackalloc byte[LibC.SignalfdSiginfoSize * 4];
        var any = false;
        while (LibC.read(s_fd, info, LibC.SignalfdSiginfoSize * 4) > 0)
        {
            any = true;
        }

        return any;
    }

    private static void Mask(int how)
    {
        var set = stackalloc byte[LibC.SigsetSize];
        TermSet(set);
        Sys.CheckResult(LibC.pthread_sigmask(how, set, null), "pthread_sigmask");
    }

    /// <summary>{SIGTERM} (sigsetops(3) fail only for an invalid signal number).</summary>
    private static void TermSet(byte* set)
    {
        _ = LibC.sigemptyset(set);
        _ = LibC.sigaddset(set, SIGTERM);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeaveFinalizable() => _ = new FinalizerThreadMask();

    private sealed class FinalizerThreadMask
    {
        ~FinalizerThreadMask() => Mask(LibC.SIG_BLOCK);
    }
}
