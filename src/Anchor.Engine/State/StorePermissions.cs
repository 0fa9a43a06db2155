using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.State;

/// <summary>
/// Only root may reach the store. With world-traversable data directories any host user could run
/// a setuid file that a container left in its upper directory and become root, or read the
/// environment (secrets) in a record or bundle (CVE-2021-41091; docker made its data directories
/// 0710/0700 for it). ROOT is 0710 and root-owned, the directories below it are 0700
/// (<see cref="FileModes.PrivateDirectory"/>), records and bundles 0600, logs 0640, RUNROOT 0700.
/// A container's processes never walk these paths: its root is an overlay mount (lower and upper
/// directories are accessed with the mounter's credentials) and its /etc files and volumes are bind
/// mounts, where only the file's own mode is checked. Those keep 0644/0755.
/// <para>
/// A store made by an earlier version (0755 throughout) is tightened once, by the first command
/// that sees it: ROOT's own mode is the marker, one stat(2) on every command, and it is changed
/// last, under a lock, after everything below it.
/// </para>
/// </summary>
public static unsafe class StorePermissions
{
    public const uint RootMode = 0x1C8; // 0710

    public const string LockName = "permissions.lock";

    private const uint Private = 0x1C0; // 0700
    private const uint PrivateFile = 0x180; // 0600
    private const uint LogFile = 0x1A0; // 0640

    /// <summary>Group read/write and every bit for others (0067): none is set on a tightened root.</summary>
    private const uint Open = 0x37;

    /// <summary>The store's directories (docs/architecture.md, "On disk").</summary>
    private static readonly string[] StoreDirectories =
    [
        "containers", "container-names", "snapshots", "volumes", "blobs", "ingest", "tmp", "trash",
        "build-cache", "images", "networks", "events",
    ];

    private static readonly string[] RunDirectories = ["containers", "exec", "gates"];

    /// <summary>Makes ROOT on first use, or tightens a store an earlier version made; one stat when there is nothing to do.</summary>
    public static void Ensure(AnchorPaths paths)
    {
        LibC.StatBuf st;
        if (LibC.stat(paths.Root, &st) == 0 && (st.st_mode & Open) == 0)
        {
            return;
        }

        if (LibC.geteuid() != 0)
        {
            // Nothing can be changed; the verb fails on its own (run says root is needed).
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(paths.Root) ?? "/");
        if (LibC.mkdir(paths.Root, RootMode) == 0)
        {
            // A new store: the umask may have taken bits we meant to give (0710 is what we asked).
            Sys.Chmod(paths.Root, RootMode);
            return;
        }

        if (Sys.LastErrno != LibC.EEXIST)
        {
            throw LinuxException.FromLastError("mkdir", paths.Root);
        }

        Tighten(paths);
    }

    private static void Tighten(AnchorPaths paths)
    {
        using var _ = FileLock.Exclusive(Path.Combine(paths.Root, LockName));
        LibC.StatBuf st;
        Sys.Check(LibC.stat(paths.Root, &st), "stat", paths.Root);
        if ((st.st_mode & Open) == 0)
        {
            return; // another process tightened it while we waited
        }

        foreach (var name in StoreDirectories)
        {
            Restrict(Path.Combine(paths.Root, name), Private);
        }

        if (Directory.Exists(paths.Containers))
        {
            foreach (var container in Directory.EnumerateDirectories(paths.Containers))
            {
                var id = Path.GetFileName(container);
                Restrict(container, Private);
                Restrict(Path.Combine(container, "container.json"), PrivateFile);
                Restrict(Path.Combine(container, "config.json"), PrivateFile);
                Restrict(Path.Combine(container, $"{id}-json.log"), LogFile);
            }
        }

        Restrict(paths.RunRoot, Private);
        foreach (var name in RunDirectories)
        {
            Restrict(Path.Combine(paths.RunRoot, name), Private);
        }

        // An earlier version created ROOT as whoever ran it: a store owned by another user could
        // have its directories swapped for symlinks by that user.
        Sys.Check(LibC.fchownat(LibC.AT_FDCWD, paths.Root, 0, 0, 0), "chown", paths.Root);
        Sys.Chmod(paths.Root, RootMode);
    }

    /// <summary>chmod(2) when the path exists (an old store may lack any of them); symlinks are left alone.</summary>
    private static void Restrict(string path, uint mode)
    {
        var type = Sys.FileType(path);
        if (type is 0 or LibC.S_IFLNK)
        {
            return;
        }

        if (LibC.chmod(path, mode) < 0 && Sys.LastErrno != LibC.ENOENT)
        {
            throw LinuxException.FromLastError("chmod", path);
        }
    }
}
