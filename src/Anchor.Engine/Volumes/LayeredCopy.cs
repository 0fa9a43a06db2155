using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Volumes;

/// <summary>
/// Fills a new, empty volume with what the image has at the mount point, as docker does on first
/// use: the layers are merged bottom to top (overlay whiteouts delete), keeping owners and modes.
/// Symbolic links are copied as links and never followed.
/// </summary>
public static class LayeredCopy
{
    public static void Populate(IReadOnlyList<string> layersTopFirst, string containerPath, string destination)
    {
        var relative = containerPath.TrimStart('/');
        foreach (var layer in layersTopFirst.Reverse())
        {
            var source = Path.Combine(layer, relative);
            if (Sys.FileType(source) == LibC.S_IFDIR)
            {
                CopyTree(source, destination);
            }
        }
    }

    private static void CopyTree(string source, string destination)
    {
        CopyMetadata(source, destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            var type = Sys.FileType(entry.FullName);
            if (type == LibC.S_IFCHR && IsWhiteout(entry.FullName))
            {
                DeletePath(target);
                continue;
            }

            if (type == LibC.S_IFDIR)
            {
                if (Sys.FileType(target) != LibC.S_IFDIR)
                {
                    DeletePath(target);
                    Directory.CreateDirectory(target);
                }

                CopyTree(entry.FullName, target);
            }
            else if (type == LibC.S_IFLNK)
            {
                DeletePath(target);
                Sys.Symlink(entry.LinkTarget!, target);
                CopyOwner(entry.FullName, target);
            }
            else if (type == LibC.S_IFREG)
            {
                DeletePath(target);
                File.Copy(entry.FullName, target);
                CopyMetadata(entry.FullName, target);
            }
        }
    }

    private static unsafe bool IsWhiteout(string path)
    {
        LibC.StatBuf st;
        return LibC.lstat(path, &st) == 0 && st.st_rdev == 0;
    }

    private static unsafe void CopyMetadata(string from, string to)
    {
        LibC.StatBuf st;
        if (LibC.lstat(from, &st) == 0)
        {
            Sys.Lchown(to, st.st_uid, st.st_gid);
            Sys.Chmod(to, st.st_mode & 0xFFF);
        }
    }

    private static unsafe void CopyOwner(string from, string to)
    {
        LibC.StatBuf st;
        if (LibC.lstat(from, &st) == 0)
        {
            Sys.Lchown(to, st.st_uid, st.st_gid);
        }
    }

    private static void DeletePath(string path)
    {
        var type = Sys.FileType(path);
        if (type == LibC.S_IFDIR)
        {
            Directory.Delete(path, recursive: true);
        }
        else if (type != 0)
        {
            File.Delete(path);
        }
    }
}
