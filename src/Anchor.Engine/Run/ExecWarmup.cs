namespace Anchor.Engine.Run;

/// <summary>
/// What `anchor exec` does on the other core while System.CommandLine parses: the JSON metadata
/// for reading the container's record and its config.json. Creating it is the larger part of an
/// exec's CPU under perf (a third: every converter and type of the record and the runtime spec,
/// each looked up by reflection in NativeAOT: JsonPolymorphismOptions.CreateFromAttributeDeclarations,
/// JsonConverter's constructor), and nothing of it depends on the arguments. The readers then find it
/// in the contexts' caches; a reader that comes first waits for the half made here (System.Text.Json
/// configures a type under a lock) instead of making it again.
/// </summary>
public static class ExecWarmup
{
    public static void Start()
    {
        try
        {
            Linux.NativeThread.Start(Body, "anchor-warmup");
        }
        catch (Linux.LinuxException)
        {
            // Only a warm-up: the readers make the metadata themselves.
        }
    }

    private static void Body()
    {
        try
        {
            _ = State.EngineJsonContext.Default.ContainerRecord;
            Linux.PhaseTrace.Mark("warmup: record metadata");
            _ = Oci.OciJsonContext.Default.Spec;
            Linux.PhaseTrace.Mark("warmup: spec metadata");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Linux.PhaseTrace.Mark("warmup: failed: " + e.Message);
        }
    }
}
