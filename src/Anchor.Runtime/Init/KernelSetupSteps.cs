using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Init;

/// <summary>The setup steps made for real, on the calling thread's mount namespace and root.</summary>
/// <param name="pidNamespaceFd">The container's pid namespace for /proc when the caller is outside it
/// (the direct spawn: fsconfig "pidns", <see cref="ProcMount"/>); -1 mounts proc for the caller's own.</param>
/// <param name="premadeProc">procfs instances made ahead (<see cref="ProcMount.Create"/>), one per proc mount of the spec in order: attached instead of made.</param>
public sealed class KernelSetupSteps(int pidNamespaceFd = -1, Queue<OwnedFd>? premadeProc = null) : ISetupSteps
{
    public static KernelSetupSteps Instance { get; } = new();

    public void MakePrivate() => RootfsSetup.MakePrivate();

    public void MountRoot(string root, SpecMount? rootMount)
    {
        if (rootMount is not null)
        {
            var options = MountOptions.Parse(rootMount.Options);
            Sys.Mount(rootMount.Source, root, rootMount.Type, options.Flags & ~LibC.MS_RDONLY, options.Data);
        }
        else
        {
            // pivot_root needs the new root to be a mount point.
            Sys.Mount(root, root, null, LibC.MS_BIND | LibC.MS_REC);
        }
    }

    public void Mount(string root, SpecMount mount) => RootfsSetup.MountOne(root, mount);

    public void MountCgroup(string root, SpecMount mount, string? cgroupsPath) =>
        CgroupMount.Mount(ScopedPath.Join(root, mount.Destination), mount, cgroupsPath);

    public void CreateDevices(string root, IReadOnlyList<SpecDevice> devices) => Devices.Create(root, devices);

    public void SetHostname(string hostname) =>
        Sys.Check(LibC.sethostname(hostname, System.Text.Encoding.UTF8.GetByteCount(hostname)), "sethostname", hostname);

    public void SetDomainname(string domainname) =>
        Sys.Check(LibC.setdomainname(domainname, System.Text.Encoding.UTF8.GetByteCount(domainname)), "setdomainname", domainname);

    public void WriteSysctl(string key, string value) => Sysctls.Write(key, value);

    public void PivotRoot(string root) => RootfsSetup.PivotRoot(root);

    public void MountProc(SpecMount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        var options = MountOptions.Parse(mount.Options);
        Directory.CreateDirectory(mount.Destination);
        if (premadeProc is { Count: > 0 })
        {
            using var premade = premadeProc.Dequeue();
            ProcMount.Attach(premade, mount.Destination);
        }
        else if (pidNamespaceFd >= 0)
        {
            ProcMount.Mount(pidNamespaceFd, mount.Destination, options.Flags);
        }
        else
        {
            Sys.Mount("proc", mount.Destination, "proc", options.Flags, options.Data);
        }
    }

    public void MakeReadonly(string path) => MaskedPaths.MakeReadonly(path);

    public void Mask(string path) => MaskedPaths.Mask(path);

    public void MakeRootReadOnly() => RootfsSetup.MakeRootReadOnly();
}
