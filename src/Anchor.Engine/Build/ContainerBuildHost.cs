using Anchor.Build;
using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Images;
using Anchor.Linux.Interop;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Build;

/// <summary>
/// Runs a build's RUN steps with the runtime of <c>anchor run</c>: an intermediate container of
/// the parent image (overlay of its layers + a fresh upper dir), host network (docker build's
/// default network gives the step internet access; Anchor has no bridge yet), no stdin, output
/// straight to anchor's stdout, or copied to the request's stream (<see cref="StepOutputRelay"/>). The container's record, directory and cgroup are removed on every
/// exit path; its mounts live only in its own mount namespace. It starts through the same
/// <see cref="ContainerStart"/> as <c>run</c> and the monitor, without the record's exit bookkeeping
/// (a build step is never kept). Why a step's process could not start goes to the caller's
/// <paramref name="errors"/>, not to this process's stderr.
/// </summary>
public sealed class ContainerBuildHost(AnchorPaths paths, ContainerStore containers, TextWriter errors, BuildRunSettings? settings = null, ImageStore? images = null) : IBuildHost
{
    /// <summary>A FROM's pull, with pull's lines in the step log (the classic builder's); a failure exits 1 as docker build does.</summary>
    public StoredImage Pull(string reference, TextWriter? log) =>
        images is null
            ? throw new BuildException($"pull access denied for {reference}: anchor build cannot pull here")
            : new Images.RegistryService(images).Pull(reference, platform: null, log ?? TextWriter.Null, quiet: log is null, exitCode: 1, printReference: false);

    public int Run(RunStepRequest request, Action<string> started, Action<string> exited)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(exited);
        if (LibC.geteuid() != 0)
        {
            throw new EngineException("anchor needs root privileges to run containers (try sudo)");
        }

        var id = ContainerId.New();
        // Made and locked before the cgroup: a killed build leaves nothing ContainerSweeper does not find.
        using var claim = ContainerClaim.Take(paths, id);
        var owner = ContainerClaim.Self();
        var files = new ContainerFiles(paths.ContainerDirectory(id));
        var options = new RunOptions
        {
            Image = "",
            Command = request.Command,
            Entrypoint = "", // RUN ignores the image's ENTRYPOINT.
            Remove = true, // the step's container goes once its upper directory is read (a volatile upper: SpecFactory.RootMount)
            Env = request.BuildArgEnv,
            Network = request.NoNetwork ? NetworkMode.None : NetworkMode.Host, // build --network none|host
            ExtraHosts = settings?.ExtraHosts ?? [],
            ShmSize = settings?.ShmSize ?? 0,
            Ulimits = settings?.Ulimits ?? [],
        };
        // build -q: the step's output goes to /dev/null (its own descriptors, never anchor's). A
        // caller's stream (a server's response) gets it through pipes this process copies.
        var relay = request.Output is not null && !request.Quiet;
        var start = ContainerStart.Begin(paths, containers, id, SpecFactory.Namespaces(options.Network), options, SpecFactory.Resources(options),
            relay ? new LaunchStdio(StdioKind.Pipes) : new LaunchStdio(StdioKind.Inherit, KeepStdin: false, Quiet: request.Quiet));
        var recorded = false;
        try
        {
            var (user, home) = UserResolver.Resolve(request.Config.User, request.LayersTopFirst);
            containers.CreateWithGeneratedName(new ContainerRecord
            {
                Id = id,
                Name = "",
                Image = "",
                ImageId = "",
                Created = DateTimeOffset.UtcNow,
                AutoRemove = true,
                Command = request.Command,
                OwnerPid = owner.Pid,
                OwnerStartTime = owner.StartTime,
            });
            recorded = true;
            files.Create();
            EtcFiles.Write(files, id[..12], options);
            var spec = SpecFactory.Create(new SpecFactory.Inputs(options, request.Config, request.LayersTopFirst, files, id[..12], user, home, CgroupFactory.SpecPath(id), ExtraMounts: request.Mounts));
            new Bundle(files.Directory).Write(spec, durable: false);
            start.Prepare(spec);
            started(id);
            int code;
            using (var container = start.Release(spec))
            {
                if (container.Failed)
                {
                    container.WaitForExit();
                    errors.WriteLine(container.InitError);
                    code = container.InitErrorCode;
                }
                else if (relay)
                {
                    // No signal forwarding: the process's signals are its owner's (a server's), not the step's.
                    code = StepOutputRelay.CopyUntilExit(container, request.Output!);
                }
                else
                {
                    using var session = new ForegroundSession(container, attachStdin: false);
                    code = session.Wait();
                }
            }

            if (code == 0)
            {
                exited(files.Upper);
            }

            return code;
        }
        finally
        {
            start.Dispose();
            start.Cgroup.Destroy();
            if (recorded || Directory.Exists(files.Directory))
            {
                containers.Delete(id);
            }
        }
    }

    public (uint Uid, uint Gid) ResolveOwner(string spec, IReadOnlyList<string> layersTopFirst)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var (user, _) = UserResolver.Resolve(spec, layersTopFirst);
        // docker: a user without a group gets the same number as its group (Dockerfile reference, COPY --chown).
        return colon < 0 && uint.TryParse(spec, out var numeric) ? (numeric, numeric) : (user.Uid, user.Gid);
    }
}
