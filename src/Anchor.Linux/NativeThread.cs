using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// A detached pthread that runs managed code: pthread_create(3) with an [UnmanagedCallersOnly]
/// entry point, so the runtime attaches the thread when it first enters managed code.
/// System.Threading.Thread.Start in NativeAOT yields (sched_yield) in a loop until the new thread
/// reports that it runs; with four helper threads per `anchor run` on two CPUs, that spinning was
/// 8% of the CLI's CPU under perf. Here the starter goes on at once. The body must handle its own
/// exceptions and signal its own completion (there is no Join).
/// </summary>
public static unsafe class NativeThread
{
    private const int StackSize = 256 * 1024;

    public static void Start(Action body, string name)
    {
        ArgumentNullException.ThrowIfNull(body);
        var handle = GCHandle.Alloc(new Work(body, name));
        var attr = stackalloc long[LibC.PthreadAttrSize / sizeof(long)];
        Sys.CheckResult(LibC.pthread_attr_init(attr), "pthread_attr_init");
        try
        {
            Sys.CheckResult(LibC.pthread_attr_setstacksize(attr, StackSize), "pthread_attr_setstacksize");
            Sys.CheckResult(LibC.pthread_attr_setdetachstate(attr, LibC.PTHREAD_CREATE_DETACHED), "pthread_attr_setdetachstate");
            nuint thread;
            var result = LibC.pthread_create(&thread, attr, &Entry, GCHandle.ToIntPtr(handle));
            if (result != 0)
            {
                handle.Free();
                throw new LinuxException(result, "pthread_create", name);
            }
        }
        finally
        {
            _ = LibC.pthread_attr_destroy(attr);
        }
    }

    [UnmanagedCallersOnly]
    private static nint Entry(nint argument)
    {
        var handle = GCHandle.FromIntPtr(argument);
        var work = (Work)handle.Target!;
        handle.Free();
        try
        {
            // The name perf, top and /proc/PID/task/TID/comm show (15 bytes at most, ASCII here).
            var name = stackalloc byte[16];
            var length = System.Text.Encoding.ASCII.GetBytes(work.Name.AsSpan(0, Math.Min(15, work.Name.Length)), new Span<byte>(name, 15));
            name[length] = 0;
            _ = LibC.prctl(LibC.PR_SET_NAME, (nuint)name, 0, 0, 0);
            work.Body();
        }
        catch (Exception e)
        {
            // An exception leaving an UnmanagedCallersOnly method ends the process: report it instead.
            PhaseTrace.Mark($"{work.Name}: unhandled {e.GetType().Name}: {e.Message}");
        }

        return 0;
    }

    private sealed record Work(Action Body, string Name);
}
