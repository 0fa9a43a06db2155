using Anchor.Engine.Containers;
using Anchor.Engine.Networks;
using Anchor.Linux;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Run;

/// <summary>
/// One start of one container: the single path that a foreground <c>run</c>, every start and
/// restart of a detached container (the monitor) and every build RUN step take (youki's
/// builder_impl.rs, crun's libcrun_container_run_internal). In order:
/// <list type="number">
/// <item><see cref="Begin"/>: the namespaces (a thread unshares them now, or the init stage starts)
/// and, in parallel, the cgroup with its limits and device rules;</item>
/// <item>the caller writes what it needs (record, bundle) and calls <see cref="Prepare"/>: the
/// container's filesystem is set up on the namespace thread (docs/architecture.md, "The setup sequence");</item>
/// <item><see cref="Attach"/>: the network endpoints, while nothing of the container runs;</item>
/// <item><see cref="Release"/>: the process is placed in its cgroup and runs the exec tail.</item>
/// </list>
/// Disposing undoes what is not released: no process, namespace or cgroup outlives a failed start.
/// After a release the cgroup is the caller's: it destroys it once the container has exited.
/// </summary>
public sealed class ContainerStart : IDisposable
{
    private readonly PendingContainer _pending;
    private readonly CgroupCreation _cgroupReady;
    private bool _released;
    private string? _donorShm;

    private ContainerStart(PendingContainer pending, ICgroupManager cgroup, CgroupCreation cgroupReady)
    {
        _pending = pending;
        Cgroup = cgroup;
        _cgroupReady = cgroupReady;
    }

    public ICgroupManager Cgroup { get; }

    /// <summary>Whether the release reads the bundle's config.json (the init stage), which must then be written before.</summary>
    public bool ReadsBundle => _pending.ReadsBundle;

    /// <summary>A task inside the container's namespaces before the release (its /proc/N/ns/net takes the veths).</summary>
    public int NamespacePid => _pending.NamespacePid;

    /// <param name="namespaces">The spec's namespaces; --network container:NAME is resolved to that container's now.</param>
    /// <param name="prestart">The caller's namespace thread started ahead, adopted if it fits.</param>
    public static ContainerStart Begin(AnchorPaths paths, ContainerStore containers, string id, IEnumerable<SpecNamespace> namespaces, RunOptions options, SpecResources? resources, LaunchStdio stdio, Action? meanwhile = null, NamespacePrestart? prestart = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var resolved = JoinedNamespaces.Resolve(NetworkNamespaces.Resolve(namespaces, options, containers), options, containers);
        var context = prestart is null ? paths.LaunchContext : paths.LaunchContext with { Prestart = prestart };
        var userns = resolved.Any(n => n.Type == "user") ? Userns.UserNamespaceSettings.Maps(paths, id, options) : null;
        var pending = ContainerLauncher.Spawn(paths.ContainerDirectory(id), resolved, stdio, context, meanwhile, userns);
        PhaseTrace.Mark("start: namespaces pending");
        try
        {
            // The cgroup depends only on the options: it is made on the other core while the caller prepares.
            var cgroup = Resources.ContainerCgroup.Begin(paths, id, options.CgroupParent);
            PhaseTrace.Mark("start: cgroup manager");
            return new ContainerStart(pending, cgroup, CgroupCreation.Start(cgroup, resources, member: pending.EarlyCgroupMember))
            {
                _donorShm = NamespaceModes.JoinedName(options.IpcMode) is not null ? ShmMounts.DonorShm(resolved) : null,
            };
        }
        catch
        {
            pending.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same start for a bare OCI bundle (<c>anchor oci create|run</c>): no store, record or
    /// network of Anchor's, the cgroup as the bundle's linux.cgroupsPath names it.
    /// </summary>
    public static ContainerStart Begin(string bundleDirectory, IEnumerable<SpecNamespace> namespaces, ICgroupManager cgroup, SpecResources? resources, LaunchStdio stdio, LaunchContext context)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        var pending = ContainerLauncher.Spawn(bundleDirectory, namespaces, stdio, context);
        try
        {
            return new ContainerStart(pending, cgroup, CgroupCreation.Start(cgroup, resources, member: pending.EarlyCgroupMember));
        }
        catch
        {
            pending.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Hands the spec over: the namespace thread mounts the container's filesystem while the caller finishes.
    /// The cgroup mount waits for the cgroup's directories only, not for the warm-up move (an RCU
    /// grace period that the release waits for instead). With --ipc container:NAME, /dev/shm becomes
    /// the donor's as this start resolved it.
    /// </summary>
    public void Prepare(Spec spec) => _pending.Prepare(ShmMounts.WithDonor(spec, _donorShm), _cgroupReady.WaitCreated, _cgroupReady.TakeTasksFiles);

    /// <summary>Mounts the container's root on the namespace thread now, ahead of <see cref="Prepare"/> (whose spec must have the same root).</summary>
    public void MountRootEarly(IReadOnlyList<string> layersTopFirst, ContainerFiles files, bool discarded)
    {
        ArgumentNullException.ThrowIfNull(files);
        _pending.MountRootEarly(files.Merged, SpecFactory.RootMount(layersTopFirst, files, discarded));
    }

    /// <summary>Wires the endpoints into the container's network namespace before anything of it runs.</summary>
    public void Attach(NetworkAttachments networks, string id, IReadOnlyList<EndpointRecord> endpoints)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count > 0)
        {
            networks.Attach(id, NamespacePid, endpoints);
            PhaseTrace.Mark("start: network attached");
        }
    }

    /// <summary>Waits for the cgroup, places the process in it and lets it exec.</summary>
    /// <param name="beforeExec">Called with the process's pid before it execs (the caller records it as running).</param>
    public StartedContainer Release(Spec spec, Action<int>? beforeExec = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        InterfaceSysctls.Write(spec, NamespacePid);
        _cgroupReady.Wait();
        PhaseTrace.Mark("start: cgroup ready");
        var started = _pending.Release(_pending.EarlyCgroupMember is null ? Cgroup : null, ShmMounts.WithDonor(spec, _donorShm), beforeExec);
        _released = true;
        return started;
    }

    /// <summary>Undoes an unreleased start (the process, the namespaces, the cgroup); after a release only waits for the helpers.</summary>
    public void Dispose()
    {
        _pending.Dispose();
        _cgroupReady.WaitQuietly();
        _cgroupReady.CloseUntakenFiles();
        if (!_released)
        {
            Cgroup.Destroy();
        }
    }
}
