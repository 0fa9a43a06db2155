using System.Globalization;
using System.Text;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// A container's user namespace and the namespaces it owns (--userns): made by a short-lived child
/// (Native/anchor_exec.c anchor_userns_start: clone(CLONE_NEWUSER|flags), the way runc's nsexec
/// makes the user namespace first and the rest inside it), whose uid_map and gid_map this process
/// writes as root of the parent namespace while the child waits (user_namespaces(7), "Defining
/// user and group ID mappings"). setgroups(2) stays allowed, as runc leaves it for a privileged
/// writer: the container's root may set its supplementary groups within the map.
/// The namespaces are then held by descriptors: <see cref="Enter"/> joins all but the user
/// namespace on the calling thread (setns(2) refuses a user namespace to a multithreaded process);
/// the container's process joins <see cref="UserFd"/> itself (<see cref="GatedSpawn.JoinUserNamespace"/>).
/// </summary>
public sealed unsafe class UserNamespace : IDisposable
{
    // /proc/PID/ns names of the namespaces the child makes. Not a pid namespace: one without a
    // process yet cannot be opened (/proc/PID/ns/pid_for_children: ENOENT until its init exists,
    // pidns_for_children_get), so the launcher's thread unshares that one itself (ContainerLauncher).
    private static readonly (int Flag, string Name)[] Owned =
    [
        (LibC.CLONE_NEWIPC, "ipc"), (LibC.CLONE_NEWUTS, "uts"), (LibC.CLONE_NEWNET, "net"), (LibC.CLONE_NEWNS, "mnt"),
    ];

    private readonly OwnedFd _user;
    private readonly List<(OwnedFd Fd, int Flag)> _owned;

    private UserNamespace(OwnedFd user, List<(OwnedFd, int)> owned)
    {
        _user = user;
        _owned = owned;
    }

    /// <summary>The user namespace: for the container's process to join, and for idmapped mounts.</summary>
    public int UserFd => _user.Fd;

    /// <summary>
    /// Makes a user namespace with these maps ("inside outside count" lines, as /proc/PID/uid_map
    /// takes them) and, owned by it, the namespaces of <paramref name="flags"/> (CLONE_NEWNS, UTS,
    /// IPC, NET; a CLONE_NEWPID is ignored here).
    /// </summary>
    public static UserNamespace Create(int flags, string uidMap, string gidMap)
    {
        ArgumentNullException.ThrowIfNull(uidMap);
        ArgumentNullException.ThrowIfNull(gidMap);
        var (readyRead, readyWrite) = OwnedFd.Pipe();
        var (gateRead, gateWrite) = OwnedFd.Pipe();
        var args = new AnchorNative.UsernsArgs
        {
            clone_flags = flags & ~LibC.CLONE_NEWPID & ~LibC.CLONE_NEWUSER,
            ready_fd = readyWrite.Fd,
            gate_fd = gateRead.Fd,
        };
        var pid = AnchorNative.anchor_userns_start(&args);
        if (pid < 0)
        {
            readyRead.Dispose();
            readyWrite.Dispose();
            gateRead.Dispose();
            gateWrite.Dispose();
            throw new LinuxException(args.error, "clone", "a user namespace");
        }

        OwnedFd? user = null;
        List<(OwnedFd, int)> owned = [];
        try
        {
            // The child's copies are its own; ours must go for its end of file to mean ours.
            readyWrite.Dispose();
            gateRead.Dispose();
            Span<byte> one = stackalloc byte[1];
            if (Sys.ReadFull(readyRead.Fd, one) != 1)
            {
                throw new LinuxException(LibC.ECHILD, "clone", "a user namespace");
            }

            var proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
            WriteMap(proc + "/uid_map", uidMap);
            WriteMap(proc + "/gid_map", gidMap);
            user = OpenNs(proc + "/ns/user");
            foreach (var (flag, name) in Owned)
            {
                if ((flags & flag) != 0)
                {
                    owned.Add((OpenNs(proc + "/ns/" + name), flag));
                }
            }

            var made = new UserNamespace(user, owned);
            user = null;
            owned = [];
            return made;
        }
        finally
        {
            user?.Dispose();
            foreach (var (fd, _) in owned)
            {
                fd.Dispose();
            }

            gateWrite.Dispose(); // the child leaves
            readyRead.Dispose();
            Sys.Reap(pid, block: true);
            AnchorNative.anchor_userns_finish(&args);
        }
    }

    /// <summary>
    /// Joins the owned namespaces on the calling thread (which gets an fs_struct of its own first:
    /// setns(CLONE_NEWNS) needs one).
    /// </summary>
    public void Enter()
    {
        Sys.Unshare(LibC.CLONE_FS);
        foreach (var (fd, flag) in _owned)
        {
            Sys.Check(LibC.setns(fd.Fd, flag), "setns", "the container's namespaces");
        }
    }

    /// <summary>The descriptor of /proc/PID/ns/user when <paramref name="pid"/> is in a user namespace other than ours; null otherwise.</summary>
    public static OwnedFd? OpenOf(int pid)
    {
        var path = "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/ns/user";
        var fd = OpenNs(path);
        LibC.StatBuf theirs, ours;
        if (LibC.fstatat(fd.Fd, "", &theirs, LibC.AT_EMPTY_PATH) == 0 && LibC.fstatat(LibC.AT_FDCWD, "/proc/self/ns/user", &ours, 0) == 0 && theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev)
        {
            fd.Dispose();
            return null;
        }

        return fd;
    }

    public void Dispose()
    {
        _user.Dispose();
        foreach (var (fd, _) in _owned)
        {
            fd.Dispose();
        }
    }

    private static OwnedFd OpenNs(string path) => OwnedFd.Check(LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", path);

    private static void WriteMap(string path, string map)
    {
        // One write(2) holding every line: the kernel takes a map only whole, and only once.
        using var fd = OwnedFd.Check(LibC.open(path, LibC.O_WRONLY | LibC.O_CLOEXEC, 0), "open", path);
        var bytes = Encoding.ASCII.GetBytes(map);
        fixed (byte* p = bytes)
        {
            Sys.Check(LibC.write(fd.Fd, p, bytes.Length) == bytes.Length ? 0 : -1, "write", path);
        }
    }
}
