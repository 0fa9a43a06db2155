using Anchor.Build;
using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Images;
using Anchor.Linux.Interop;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Build;

/// <summary>
/// Runs a build's RUN steps with the runtime of <c>anchor run</c>: an intermediate container of
/// the parent image (overlay of its layers + a fresh upper dir), host network (docker build's
/// default network gives the step internet access; Anchor has no bridge yet), no stdin, output
/// straight to anchor's stdout. The container's record, directory and cgroup are removed on every
/// exit path; its mounts live only in its own mount namespace. This repeats the core of
/// <see cref="ContainerRunner.Run"/> without the record's exit bookkeeping (a build step is never kept).
/// </summary>
public sealed class ContainerBuildHost(AnchorPaths paths, ContainerStore containers) : IBuildHost
{
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
            Env = request.BuildArgEnv,
            Network = NetworkMode.Host,
        };
        using var quiet = request.Quiet ? new SilencedOutput() : null;
        using var pending = ContainerLauncher.Spawn(files.Directory, SpecFactory.Namespaces(options.Network), keepStdin: false, gateDirectory: paths.GateDirectory(id));
        var cgroup = CgroupFactory.Create(id);
        var recorded = false;
        try
        {
            cgroup.Create(null);
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
            var spec = SpecFactory.Create(new SpecFactory.Inputs(options, request.Config, request.LayersTopFirst, files, id[..12], user, home, cgroup.Path));
            new Bundle(files.Directory).Write(spec, durable: false);
            started(id);
            int code;
            using (var container = pending.Release(cgroup, spec))
            {
                quiet?.Restore();
                if (container.Failed)
                {
                    container.WaitForExit();
                    Console.Error.WriteLine(container.InitError);
                    code = container.InitErrorCode;
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
            quiet?.Restore();
            pending.Dispose();
            cgroup.Destroy();
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

    /// <summary>
    /// <c>build -q</c>: the step's container inherits /dev/null as stdout and stderr. The child
    /// takes its descriptors when it is spawned, so anchor's own are swapped only around the spawn.
    /// </summary>
    private sealed class SilencedOutput : IDisposable
    {
        private const int F_DUPFD_CLOEXEC = 1030;
        private readonly int _stdout;
        private readonly int _stderr;
        private bool _restored;

        public SilencedOutput()
        {
            Console.Out.Flush();
            Console.Error.Flush();
            _stdout = LibC.fcntl(1, F_DUPFD_CLOEXEC, 3);
            _stderr = LibC.fcntl(2, F_DUPFD_CLOEXEC, 3);
            using SafeFileHandle devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
            var fd = (int)devNull.DangerousGetHandle();
            LibC.dup2(fd, 1);
            LibC.dup2(fd, 2);
        }

        public void Restore()
        {
            if (_restored)
            {
                return;
            }

            _restored = true;
            LibC.dup2(_stdout, 1);
            LibC.dup2(_stderr, 2);
            LibC.close(_stdout);
            LibC.close(_stderr);
        }

        public void Dispose() => Restore();
    }
}
