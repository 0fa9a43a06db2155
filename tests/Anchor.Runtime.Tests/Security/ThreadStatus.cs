using System.Globalization;

namespace Anchor.Runtime.Tests.Security;

/// <summary>Reads the calling thread's capability sets from /proc/thread-self/status (proc(5)).</summary>
internal static class ThreadStatus
{
    public static Dictionary<string, ulong> Capabilities()
    {
        var sets = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines("/proc/thread-self/status"))
        {
            if (line.StartsWith("Cap", StringComparison.Ordinal))
            {
                var parts = line.Split(':', 2);
                sets[parts[0]] = ulong.Parse(parts[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return sets;
    }

    /// <summary>Runs <paramref name="action"/> on a fresh thread that ends afterwards, so per-thread state it changes dies with it.</summary>
    public static T OnThrowawayThread<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("throwaway thread failed", failure);
    }
}
