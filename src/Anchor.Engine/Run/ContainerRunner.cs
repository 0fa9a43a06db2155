using Anchor.Engine.Containers;
using Anchor.Images;
using Anchor.Linux.Interop;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Run;

/// <summary>
/// <c>anchor run</c> in the foreground: resolve the image, record the container, prepare its
/// directory, cgroup and bundle, launch it, relay until it exits, then undo every step in reverse
/// order. Any failure half-way undoes what was done (nothing is left: no cgroup, no directory).
/// </summary>
public sealed class ContainerRunner(AnchorPaths paths, ImageStore images, ContainerStore containers)
{
    public int Run(RunOptions options)
    {
        RequireRoot();
        var image = images.Find(options.Image)
            ?? throw new EngineException($"Unable to find image '{DisplayName(options.Image)}' locally");
        var layers = images.LayerPaths(image);
        var (user, home) = UserResolver.Resolve(options.User ?? image.Config.Config?.User, layers);

        var id = ContainerId.New();
        var record = new ContainerRecord
        {
            Id = id,
            Name = options.Name ?? "",
            Image = options.Image,
            ImageId = image.Id.ToString(),
            Created = DateTimeOffset.UtcNow,
            AutoRemove = options.Remove,
        };
        record = options.Name is null ? containers.CreateWithGeneratedName(record) : containers.Create(record);

        ICgroupManager? cgroup = null;
        var exitCode = ExitCodes.EngineError;
        string? failure = null;
        try
        {
            var files = new ContainerFiles(paths.ContainerDirectory(id));
            files.Create();
            var hostname = options.Hostname ?? id[..12];
            EtcFiles.Write(files, hostname, options.Network);
            cgroup = CgroupFactory.Create(id);
            var spec = SpecFactory.Create(new SpecFactory.Inputs(
                options, image.Config.Config, layers, files, hostname, user, home, cgroup.Path));
            cgroup.Create(spec.Linux.Resources);
            var bundle = new Bundle(files.Directory);
            bundle.Write(spec);

            record = record with { Command = spec.Process.Args };
            using var started = ContainerLauncher.Start(new LaunchRequest(bundle, spec, cgroup, options.Interactive));
            record = record with { Status = ContainerStatus.Running, Pid = started.Pid, StartedAt = DateTimeOffset.UtcNow };
            containers.Update(record);
            if (started.Failed)
            {
                started.WaitForExit();
                exitCode = started.InitErrorCode;
                failure = started.InitError;
            }
            else
            {
                using var session = new ForegroundSession(started, options.Interactive);
                exitCode = session.Wait();
            }

            record = record with
            {
                Status = ContainerStatus.Exited,
                ExitCode = exitCode,
                OomKilled = cgroup.OomKilled(),
                FinishedAt = DateTimeOffset.UtcNow,
                Pid = 0,
            };
        }
        catch (Exception e)
        {
            failure = e.Message;
            exitCode = e is EngineException engine ? engine.ExitCode : ExitCodes.EngineError;
        }
        finally
        {
            cgroup?.Destroy();
            // A container that never ran leaves nothing behind, as if it had never been created.
            if (options.Remove || record.Status != ContainerStatus.Exited)
            {
                containers.Delete(id);
            }
            else
            {
                containers.Update(record with { Status = ContainerStatus.Exited });
            }
        }

        if (failure is not null)
        {
            throw new EngineException(failure, exitCode);
        }

        return exitCode;
    }

    private static void RequireRoot()
    {
        if (LibC.geteuid() != 0)
        {
            throw new EngineException("anchor needs root privileges to run containers (try sudo)");
        }
    }

    private static string DisplayName(string image) =>
        Oci.Reference.ImageReference.TryParse(image, out var reference, out _) ? reference.FamiliarName : image;
}
