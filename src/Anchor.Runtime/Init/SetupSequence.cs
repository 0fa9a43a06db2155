using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// The order of a container's filesystem setup, decided here once for the direct spawn, the init
/// stage and cp's private mount of a stopped container (docs/architecture.md, "The setup sequence",
/// steps 2–7; the exec tail, 10–17, is Native/anchor_exec.c):
/// <see cref="Filesystem"/> (propagation, root, the spec's mounts in order, device nodes),
/// <see cref="Pivot"/> (hostname, pivot_root), then <see cref="KernelInterfaces"/> (/proc for the
/// container's pid namespace, read-only paths, masked paths, a read-only root), as runc does them.
/// </summary>
public static class SetupSequence
{
    /// <param name="deferProc">Leave the procfs mounts to <see cref="KernelInterfaces"/> (the direct
    /// spawn: they need the container's first process, which does not exist yet).</param>
    /// <param name="privateAlready">The caller has made "/" private already.</param>
    /// <param name="cgroupReady">Waits until the container's cgroup exists (made on another thread),
    /// before a "cgroup" mount binds its directories; null when it exists already.</param>
    /// <param name="rootMounted">The root was mounted ahead of the spec (<see cref="Launch.PendingContainer.MountRootEarly"/>).</param>
    public static void Filesystem(Spec spec, ISetupSteps steps, bool deferProc = false, bool privateAlready = false, Action? cgroupReady = null, bool rootMounted = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(steps);
        if (!privateAlready)
        {
            steps.MakePrivate();
        }

        var root = spec.Root.Path;
        if (!rootMounted)
        {
            steps.MountRoot(root, spec.Mounts.FirstOrDefault(m => m.Destination == "/"));
        }

        Linux.PhaseTrace.Mark("setup: root mounted");
        foreach (var mount in spec.Mounts)
        {
            if (mount.Destination == "/" || (deferProc && mount.Type == "proc"))
            {
                continue;
            }

            if (mount.Type == "cgroup")
            {
                cgroupReady?.Invoke();
                Linux.PhaseTrace.Mark("setup: cgroup ready");
                steps.MountCgroup(root, mount, spec.Linux.CgroupsPath);
                Linux.PhaseTrace.Mark("setup: cgroup mounted");
            }
            else
            {
                steps.Mount(root, mount);
            }
        }

        Linux.PhaseTrace.Mark("setup: mounts done");
        // After every mount: /dev is the spec's tmpfs by now (a bind-mounted /dev gets no nodes).
        if (Devices.NeedsSetup(spec))
        {
            steps.CreateDevices(root, spec.Linux.Devices);
        }
    }

    /// <summary>
    /// The hostname and domain name (in the container's own uts namespace only), the sysctls other
    /// than an interface's (while the host's /proc is still reachable, as the container's own is
    /// read-only there), then pivot_root.
    /// </summary>
    public static void Pivot(Spec spec, ISetupSteps steps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(steps);
        var ownUts = spec.Linux.Namespaces.Any(n => n.Type == "uts");
        if (spec.Hostname is { Length: > 0 } hostname && ownUts)
        {
            steps.SetHostname(hostname);
        }

        if (spec.Domainname is { Length: > 0 } domainname && ownUts)
        {
            steps.SetDomainname(domainname);
        }

        // An interface's keys wait for its interface: the engine writes them after the network is attached.
        foreach (var (key, value) in spec.Linux.Sysctl ?? new Dictionary<string, string>())
        {
            if (!Sysctls.IsInterfaceKey(key))
            {
                steps.WriteSysctl(key, value);
            }
        }

        steps.PivotRoot(spec.Root.Path);
    }

    /// <summary>
    /// After pivot_root: procfs (when deferred), then read-only paths before masks (a mask may sit
    /// under a read-only path: /proc/sys's children), then the root read-only last, since every
    /// mount above needs a writable mount point to exist.
    /// </summary>
    public static void KernelInterfaces(Spec spec, ISetupSteps steps, bool procDeferred)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(steps);
        if (procDeferred)
        {
            foreach (var mount in spec.Mounts.Where(m => m.Type == "proc"))
            {
                steps.MountProc(mount);
            }

            Linux.PhaseTrace.Mark("setup: proc mounted");
        }

        foreach (var path in spec.Linux.ReadonlyPaths)
        {
            steps.MakeReadonly(path);
        }

        foreach (var path in spec.Linux.MaskedPaths)
        {
            steps.Mask(path);
        }

        if (spec.Root.Readonly)
        {
            steps.MakeRootReadOnly();
        }
    }
}
