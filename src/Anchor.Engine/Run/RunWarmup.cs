namespace Anchor.Engine.Run;

/// <summary>
/// What `anchor run` does on the other core before System.CommandLine has parsed its arguments:
/// resolve the image it most likely names (<see cref="ImagePrefetch"/>: the image store's
/// documents, the image's config, the layer paths and the user), then docker's default seccomp
/// profile for the default capabilities and its cache key (Security/SeccompProfiles.WarmUp), which
/// the spec needs. The record and the spec are written with serialization-mode contexts (no
/// metadata to build): writing throwaway ones here as well, as an earlier version did, cost more
/// CPU on this 2-core machine than it saved (perf stat, 60 runs each way: 15.2-15.4 ms of CPU
/// without it against 15.7-16.9 ms with it).
/// </summary>
public static class RunWarmup
{
    /// <param name="args">`anchor run`'s arguments: its image is resolved first.</param>
    public static void Start(IReadOnlyList<string> args)
    {
        ImagePrefetch.Begin();
        try
        {
            Linux.NativeThread.Start(() => Body(args), "anchor-warmup");
        }
        catch
        {
            ImagePrefetch.Run(null);
            throw;
        }
    }

    /// <summary>
    /// The record's writer is a serialization-mode context, yet the first write still creates a
    /// JsonTypeInfo for the record and for each enum and nullable type it writes through a
    /// converter, and creating one looks up the type's polymorphism attributes by reflection: about
    /// 1.3 ms on the main thread under perf (ContainerRecord alone 0.6 ms). Created here, on the
    /// other core, into the cache the writer uses (its options' type-info cache); nothing is
    /// serialized. A type missing from this list only costs its creation where it is first written.
    /// </summary>
    private static void WarmRecordTypes()
    {
        var options = State.RecordWriteJsonContext.Default.Options;
        foreach (var type in RecordTypes)
        {
            // A type the record no longer holds is not in the context: skip it, warm the others.
            _ = options.TryGetTypeInfo(type, out _);
        }
    }

    /// <summary>The types the record's writer resolved at run time in a perf profile of `anchor run`, largest first.</summary>
    internal static readonly Type[] RecordTypes =
    [
        typeof(Containers.ContainerRecord), typeof(Containers.ContainerStatus), typeof(long?), typeof(DateTimeOffset?),
        typeof(NetworkMode), typeof(PullPolicy), typeof(ushort?), typeof(bool?), typeof(int?),
    ];

    private static void Body(IReadOnlyList<string> args)
    {
        ImagePrefetch.Run(args);
        try
        {
            Security.SeccompProfiles.WarmUp();
            Linux.PhaseTrace.Mark("warmup: seccomp");
            WarmRecordTypes();
            Linux.PhaseTrace.Mark("warmup: record types");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a warm-up: the same work is done again where it is needed.
            Linux.PhaseTrace.Mark("warmup: failed: " + e.Message);
        }
    }
}
