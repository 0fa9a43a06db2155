using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Tests.Security;

/// <summary>
/// Runs code on a dedicated pthread (NativeThread) that ends afterwards: a seccomp filter installed
/// there stays on that thread (no TSYNC) and dies with it, never reaching the runner's threads.
/// </summary>
internal static class FilteredThread
{
    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        using var done = new ManualResetEventSlim();
        NativeThread.Start(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                done.Set();
            }
        }, "seccomp-test");
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)), "the filtered thread did not finish");
        return failure is null ? result : throw new InvalidOperationException("the filtered thread failed", failure);
    }

    /// <summary>A raw system call: its result, or -errno.</summary>
    public static long Syscall(long number, nint a1 = 0, nint a2 = 0, nint a3 = 0)
    {
        var rc = LibC.syscall(number, a1, a2, a3);
        return rc == -1 ? -Marshal.GetLastPInvokeError() : rc;
    }

    /// <summary>The Seccomp: line of /proc/thread-self/status (0 none, 2 filter).</summary>
    public static int Mode() =>
        int.Parse(File.ReadAllLines("/proc/thread-self/status").First(l => l.StartsWith("Seccomp:", StringComparison.Ordinal))["Seccomp:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
