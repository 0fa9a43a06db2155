using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Engine.Copy;

/// <summary>
/// A stopped container's filesystem, assembled as its init would (overlay root, then its volumes,
/// binds and /etc files) but in a mount namespace of its own that the host never sees.
/// <para>
/// Why this rather than merging the layers by hand: reads and writes then go through overlayfs
/// itself (copy-up of parents, whiteouts, opaque directories, volumes over image paths), so a stopped
/// and a running container behave identically and share the one openat2(RESOLVE_IN_ROOT) code path.
/// Why no mount can leak: a dedicated thread unshares CLONE_NEWNS and makes "/" recursively private
/// before mounting anything (mount_namespaces(7)), so no mount event propagates to the host; the
/// namespace is kept alive only by two descriptors (its nsfs file and the root directory), and when
/// they close, or the process dies however it dies, the kernel tears the namespace and every mount
/// in it down. Nothing is ever unmounted by us because nothing is ever mounted where we could see it.
/// </para>
/// </summary>
internal sealed class PrivateRootMount : IDisposable
{
    private int _namespaceFd;

    private PrivateRootMount(int namespaceFd, ScopedRoot root)
    {
        _namespaceFd = namespaceFd;
        Root = root;
    }

    public ScopedRoot Root { get; }

    public static PrivateRootMount Create(Spec spec)
    {
        // Only what a copy needs: the root overlay and the bind mounts (volumes, host paths, the /etc
        // files). proc, sysfs, /dev and tmpfs mounts belong to a running container (docker cp does the same).
        var mounts = spec.Mounts.Where(m => m.Destination == "/" || MountOptions.Parse(m.Options).Bind).ToList();
        var copySpec = spec with { Mounts = mounts };
        PrivateRootMount? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var nsFd = -1;
            try
            {
                Sys.Unshare(LibC.CLONE_NEWNS); // Implies CLONE_FS: only this thread changes namespace.
                nsFd = LibC.open("/proc/thread-self/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                Sys.Check(nsFd, "open", "/proc/thread-self/ns/mnt");
                RootfsSetup.Prepare(copySpec); // "/" rprivate first, then the overlay and the binds.
                result = new PrivateRootMount(nsFd, ScopedRoot.Confined(copySpec.Root.Path));
            }
            catch (Exception e)
            {
                failure = e;
                if (nsFd >= 0)
                {
                    LibC.close(nsFd);
                }
            }
        })
        {
            Name = "cp-mount",
        };
        thread.Start();
        thread.Join(); // The thread ends here; the namespace lives on through the two descriptors.
        return result ?? throw EngineException.Daemon(EngineErrorKind.Internal, $"mounting the container's filesystem: {failure?.Message}", 1);
    }

    public void Dispose()
    {
        Root.Dispose();
        if (_namespaceFd >= 0)
        {
            LibC.close(_namespaceFd);
            _namespaceFd = -1;
        }
    }
}
