using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Engine.State;
using Anchor.Oci;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// System.Text.Json builds each type's metadata on first use, and in NativeAOT that includes
/// reflection over the type's attributes (polymorphism, converters): the largest CPU cost left in
/// `anchor run` under perf. A thread started before the command line is even parsed reads and
/// writes throwaway values of the image store's documents, the record and the spec, in the order
/// `run` needs them, on the other core: the metadata cache is shared, so the real reads and
/// writes find it ready (or wait for the one being built rather than build it twice). Between the
/// two, as the spec needs it before the record is written, docker's default seccomp profile is
/// resolved and its cache key computed (Security/SeccompProfiles.WarmUp).
/// </summary>
public static class JsonWarmup
{
    /// <param name="args">`anchor run`'s arguments: its image is resolved first (<see cref="ImagePrefetch"/>).</param>
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

    private static void Body(IReadOnlyList<string> args)
    {
        ImagePrefetch.Run(args);
        try
        {
            global::Anchor.Images.ImageStore.WarmUpJson();
            Linux.PhaseTrace.Mark("warmup: images");
            Security.SeccompProfiles.WarmUp();
            Linux.PhaseTrace.Mark("warmup: seccomp");
            Run(new RunOptions { Image = "" });
            Linux.PhaseTrace.Mark("warmup: record and spec");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a warm-up: the same work is done again where it is needed.
        }
    }

    private static void Run(RunOptions options)
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
        _ = JsonSerializer.SerializeToUtf8Bytes(record, RecordWriteJsonContext.Default.ContainerRecord);
        var spec = new Spec
        {
            Process = new SpecProcess { Args = ["true"], Capabilities = new SpecCapabilities(), Rlimits = [] },
            Root = new SpecRoot { Path = "/" },
            Mounts = [new SpecMount { Destination = "/" }],
            Linux = new SpecLinux
            {
                Namespaces = [new SpecNamespace { Type = "pid" }],
                Resources = new SpecResources { Memory = new SpecMemory(), Cpu = new SpecCpu(), Pids = new SpecPids(), Devices = [new SpecDeviceCgroup()] },
                Devices = [new SpecDevice { Path = "/", Type = "c" }],
                Seccomp = new SpecSeccomp { Syscalls = [new SpecSeccompSyscall { Args = [new SpecSeccompArg()] }] },
            },
        };
        _ = JsonSerializer.SerializeToUtf8Bytes(spec, SpecWriteJsonContext.Default.Spec);
    }
}
