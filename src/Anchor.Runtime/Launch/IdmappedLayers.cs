using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The image layers of a container with a user namespace of its own, shared unchanged with every
/// other container: each lower directory is covered, in the container's private mount namespace
/// only, by an idmapped bind of itself (open_tree(2) OPEN_TREE_CLONE, mount_setattr(2)
/// MOUNT_ATTR_IDMAP with the container's user namespace, move_mount(2) onto the same path), so the
/// overlay, which takes idmapped lower layers since Linux 5.19 (Documentation/filesystems/
/// overlayfs.rst), shows a file owned by 0 on disk as owned by the range's first host id, which is
/// 0 inside. The layers themselves are never chowned. The upper directory is the container's own
/// and holds host ids as they are (what the container writes lands as its mapped host ids, as
/// podman's upper does); only its root is given to the container's root, since the overlay's root
/// takes its owner from it.
/// </summary>
internal static class IdmappedLayers
{
    public static void Apply(SpecMount? rootMount, UserNamespace userns, UserNamespaceMaps maps)
    {
        if (rootMount is not { Type: "overlay" })
        {
            return;
        }

        var options = MountOptions.Parse(rootMount.Options).Data ?? "";
        foreach (var option in options.Split(','))
        {
            if (option.StartsWith("lowerdir=", StringComparison.Ordinal))
            {
                foreach (var layer in option["lowerdir=".Length..].Split(':', StringSplitOptions.RemoveEmptyEntries))
                {
                    Idmap(layer, userns.UserFd);
                }
            }
            else if (option.StartsWith("upperdir=", StringComparison.Ordinal))
            {
                var upper = option["upperdir=".Length..];
                var uid = UserNamespaceMaps.HostId(maps.Uids, 0) ?? throw new InitFailureException(InitExitCodes.SetupFailed, "the user namespace maps no root uid");
                var gid = UserNamespaceMaps.HostId(maps.Gids, 0) ?? throw new InitFailureException(InitExitCodes.SetupFailed, "the user namespace maps no root gid");
                Sys.Lchown(upper, uid, gid);
            }
        }

        PhaseTrace.Mark("setup: layers idmapped");
    }

    private static void Idmap(string layer, int usernsFd)
    {
        using var tree = OwnedFd.Check(LibC.open_tree(LibC.AT_FDCWD, layer, LibC.OPEN_TREE_CLONE | LibC.OPEN_TREE_CLOEXEC), "open_tree", layer);
        Sys.Check(LibC.mount_setattr_idmap(tree.Fd, usernsFd), "mount_setattr MOUNT_ATTR_IDMAP", layer);
        Sys.Check(LibC.move_mount(tree.Fd, "", LibC.AT_FDCWD, layer, LibC.MOVE_MOUNT_F_EMPTY_PATH), "move_mount", layer);
    }
}
