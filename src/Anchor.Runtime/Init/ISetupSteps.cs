using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// The kernel-facing steps of a container's filesystem setup, one method each, so that
/// <see cref="SetupSequence"/> — which decides their order — can be run against a recording fake
/// in unit tests (youki's Syscall trait, Anchor's FakeCgroupFs). <see cref="KernelSetupSteps"/> makes them.
/// </summary>
public interface ISetupSteps
{
    /// <summary>"/" rprivate: no mount event propagates back to the host (mount_namespaces(7)).</summary>
    void MakePrivate();

    /// <summary>The root filesystem (overlay) on the spec's root path, or a bind of it onto itself.</summary>
    void MountRoot(string root, SpecMount? rootMount);

    /// <summary>One spec mount under the root (bind, tmpfs, devpts, sysfs, mqueue…).</summary>
    void Mount(string root, SpecMount mount);

    /// <summary>A "cgroup" mount: the container's own cgroup directories (<see cref="CgroupMount"/>).</summary>
    void MountCgroup(string root, SpecMount mount, string? cgroupsPath);

    /// <summary>The device nodes in the container's /dev tmpfs.</summary>
    void CreateDevices(string root, IReadOnlyList<SpecDevice> devices);

    void SetHostname(string hostname);

    /// <summary>setdomainname(2) in the container's uts namespace.</summary>
    void SetDomainname(string domainname);

    /// <summary>
    /// One of the spec's sysctls, written under /proc/sys before pivot_root: the kernel resolves a
    /// namespaced sysctl (net.*, IPC keys) in the writer's namespaces, which are the container's.
    /// </summary>
    void WriteSysctl(string key, string value);

    /// <summary>pivot_root(2) into the root and a lazy unmount of the old one (never chroot).</summary>
    void PivotRoot(string root);

    /// <summary>A procfs mount, after pivot_root, for the container's pid namespace.</summary>
    void MountProc(SpecMount mount);

    void MakeReadonly(string path);

    void Mask(string path);

    void MakeRootReadOnly();
}
