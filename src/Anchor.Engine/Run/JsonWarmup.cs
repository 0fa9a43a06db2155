using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Engine.State;
using Anchor.Oci;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// System.Text.Json builds each type's metadata on first use, and in NativeAOT that includes
/// reflection over the type's attributes (polymorphism, converters): the largest CPU cost left in
/// `anchor run` under perf. Serialising throwaway values of the record and the spec on the spawn
/// thread, while the main thread resolves the image, moves that cost off the main thread: the
/// metadata cache is shared, so the real writes find it ready.
/// </summary>
public static class JsonWarmup
{
    public static void Run(RunOptions options)
    {
        var record = new ContainerRecord
        {
            Id = "",
            Name = "",
            Image = "",
            ImageId = "",
            Created = DateTimeOffset.UnixEpoch,
            StartedAt = DateTimeOffset.UnixEpoch,
            Options = options,
        };
        _ = JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord);
        var spec = new Spec
        {
            Process = new SpecProcess { Args = ["true"], Capabilities = new SpecCapabilities(), Rlimits = [] },
            Root = new SpecRoot { Path = "/" },
            Mounts = [new SpecMount { Destination = "/" }],
            Linux = new SpecLinux
            {
                Namespaces = [new SpecNamespace { Type = "pid" }],
                Resources = new SpecResources { Memory = new SpecMemory(), Cpu = new SpecCpu(), Pids = new SpecPids() },
            },
        };
        _ = JsonSerializer.SerializeToUtf8Bytes(spec, OciJsonContext.Default.Spec);
    }
}
