using Anchor.Linux;
using Anchor.Engine.Containers;
using Anchor.Images;
using Anchor.Oci.Runtime;
using Anchor.Engine.Volumes;
using Anchor.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// The steps every way of making a container shares (attached run, create, run -d): resolve the
/// image and user, reserve the ID and name, write the directory, /etc files and bundle.
/// </summary>
/// <param name="progress">Where a pull of a missing image reports (the caller's; docker's CLI shows it on stderr).</param>
public sealed class ContainerPreparer(AnchorPaths paths, ImageStore images, ContainerStore containers, TextWriter progress)
{
    public ResolvedImage ResolveImage(RunOptions options)
    {
        // The prefetch resolved the image's own user without --group-add, as --pull missing does
        // without --platform.
        if (options.Pull != PullPolicy.Always && options.Platform is null && options.GroupAdd.Count == 0
            && ImagePrefetch.Take(paths.Root, options.Image, options.User) is { } prefetched)
        {
            PhaseTrace.Mark("run: image prefetched");
            return prefetched;
        }

        // docker run pulls an image it does not have (--pull, --platform: RunImageSource).
        var image = Images.RunImageSource.Resolve(images, options, DisplayName(options.Image), progress);
        PhaseTrace.Mark("run: image found");
        var layers = images.LayerPaths(image);
        PhaseTrace.Mark("run: layer paths");
        var (user, home) = ResolveUser(options.User ?? image.Config.Config?.User, layers, options.GroupAdd);
        return new ResolvedImage(image, layers, user, home);
    }

    /// <summary>
    /// docker's daemon resolves -u and --group-add when it builds the spec, at the start (moby
    /// daemon/oci_linux.go WithUser): an unknown user or group is a failed start reported by the
    /// daemon, exit 125 (docker/cli run.go runStartContainerErr: neither "not found" nor
    /// "permission denied"), without the usage hint.
    /// </summary>
    private static (Oci.Runtime.SpecUser User, string Home) ResolveUser(string? user, IReadOnlyList<string> layers, IReadOnlyList<string> groupAdd)
    {
        try
        {
            return UserResolver.Resolve(user, layers, groupAdd);
        }
        catch (EngineException e) when (e.ExitCode == ExitCodes.CannotInvoke || e.FromDaemon)
        {
            throw EngineException.Daemon(EngineErrorKind.Internal, e.Message).AtStart();
        }
    }

    /// <summary>Reserves the name (generated when not given) and writes the record in state Created.</summary>
    /// <param name="owner">The foreground `anchor run` that will run it (see <see cref="ContainerRecord.OwnerPid"/>); null for create.</param>
    public ContainerRecord Reserve(RunOptions options, string id, ResolvedImage image, (int Pid, long StartTime)? owner = null)
    {
        // Unknown network, --ip outside the subnet, -P's ports: refused before anything exists.
        var imageExposed = image.Image.Config.Config?.ExposedPorts?.Keys.ToList() ?? [];
        var (networks, ports) = Networks.NetworkAttachments.For(paths, containers).Plan(options, imageExposed);
        var record = new ContainerRecord
        {
            Id = id,
            Name = options.Name ?? "",
            Image = options.Image,
            ImageId = image.Image.Id.ToString(),
            Created = DateTimeOffset.UtcNow,
            AutoRemove = options.Remove,
            Options = Runtimes.RuntimeTable.Resolve(options) with
            {
                StopSignal = options.StopSignal ?? image.Image.Config.Config?.StopSignal,
                Labels = LabelSet.Merge(image.Image.Config.Config?.Labels, options.Labels),
            },
            Networks = networks,
            PortRequests = ports,
            OwnerPid = owner?.Pid ?? 0,
            OwnerStartTime = owner?.StartTime ?? 0,
            ExposedPorts = [.. imageExposed.Concat(options.Expose).Concat(options.Publish.Select(p => p.PortKey)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Healthcheck = Health.HealthFlags.Merge(options.Healthcheck, image.Image.Config.Config?.Healthcheck),
            Shell = image.Image.Config.Config?.Shell,
        };
        return options.Name is null ? containers.CreateWithGeneratedName(record) : containers.Create(record);
    }

    /// <summary>Writes upper/work/merged, the /etc files and config.json; returns the spec.</summary>
    public Spec WriteBundle(RunOptions options, ResolvedImage image, string id)
    {
        var spec = BuildBundle(options, image, id);
        WriteSpec(options, id, spec);
        return spec;
    }

    /// <summary>
    /// Whether <see cref="BuildBundle"/> can run before the record exists: without volumes it
    /// touches nothing but the container's own directory.
    /// </summary>
    public static bool BundleNeedsNoRecord(RunOptions options, ResolvedImage image) =>
        options.Mounts.Count == 0 && options.VolumesFrom.Count == 0 && !(image.Image.Config.Config?.Volumes?.Count > 0);

    /// <summary>upper/work/merged, the /etc files, the volumes (recorded in the container's record) and the spec in memory.</summary>
    /// <param name="directoriesMade">Called once upper/work/merged exist, before the /etc files (the root can be mounted then).</param>
    public Spec BuildBundle(RunOptions options, ResolvedImage image, string id, Action<ContainerFiles>? directoriesMade = null)
    {
        var files = new ContainerFiles(paths.ContainerDirectory(id));
        files.Create();
        PhaseTrace.Mark("bundle: directories");
        directoriesMade?.Invoke(files);
        var hostname = options.Hostname ?? id[..12];
        var shared = options.Network == NetworkMode.Container ? paths.ContainerDirectory(containers.Find(options.NetworkName ?? "").Id) : null;
        EtcFiles.Write(files, hostname, options, shared);
        PhaseTrace.Mark("bundle: etc files");
        List<SpecMount> extra = [];
        var imageVolumes = image.Image.Config.Config?.Volumes?.Keys ?? Enumerable.Empty<string>();
        var requested = VolumesFrom.Merge(containers, options.VolumesFrom, options.Mounts);
        if (requested.Count > 0 || imageVolumes.Any())
        {
            var (mounts, points) = new MountResolver(new VolumeStore(paths)).Resolve(requested, imageVolumes, image.LayersTopFirst);
            extra = mounts;
            containers.Modify(id, r => r with { Mounts = points }, durable: !options.Remove);
        }

        if (options.Init == true)
        {
            extra.Add(InitProcess.Install(paths.ContainerDirectory(id), durable: !options.Remove));
        }

        var spec = SpecFactory.Create(new SpecFactory.Inputs(
            options, image.Image.Config.Config, image.LayersTopFirst, files, hostname, image.User, image.Home, Runtime.Cgroups.CgroupFactory.SpecPath(id, options.CgroupParent), extra,
            DonorShmNow(options)));
        return Userns.UserNamespaceSettings.Apply(spec, Userns.UserNamespaceSettings.Maps(paths, id, options), [files.Hosts, files.Hostname, files.ResolvConf]);
    }

    /// <summary>With --ipc container:NAME, the donor's /dev/shm if it runs now (each start resolves it again: ContainerStart).</summary>
    private string? DonorShmNow(RunOptions options)
    {
        if (NamespaceModes.JoinedName(options.IpcMode) is not { } name)
        {
            return null;
        }

        try
        {
            return ShmMounts.DonorShm(JoinedNamespaces.Resolve([new Oci.Runtime.SpecNamespace { Type = "ipc" }], options with { PidMode = null }, containers));
        }
        catch (EngineException)
        {
            return null; // docker checks the donor when the container starts, not when it is created
        }
    }

    /// <summary>The bundle's config.json (flushed unless the container goes with --rm).</summary>
    public void WriteSpec(RunOptions options, string id, Spec spec) =>
        new Bundle(paths.ContainerDirectory(id)).Write(spec, durable: !options.Remove);

    private static string DisplayName(string image) =>
        Oci.Reference.ImageReference.TryParse(image, out var reference, out _) ? reference.FamiliarName : image;
}
