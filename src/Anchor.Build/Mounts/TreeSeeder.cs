using Anchor.Build.Context;
using Anchor.Linux.Interop;

namespace Anchor.Build.Mounts;

/// <summary>
/// Fills a new cache mount directory from a source tree (a stage's or image's layers, or a named
/// context): directories, regular files and symbolic links with their modes, owners and times;
/// devices, fifos and sockets are left out. Symbolic links are written, never followed.
/// </summary>
internal static class TreeSeeder
{
    public static void Copy(ISourceTree tree, string relativeDirectory, string destination)
    {
        foreach (var entry in tree.Children(relativeDirectory))
        {
            var path = Path.Combine(destination, entry.Name);
            switch (entry.Kind)
            {
                case EntryKind.Directory:
                    Directory.CreateDirectory(path);
                    Copy(tree, entry.RelativePath, path);
                    break;
                case EntryKind.File:
                    using (var source = tree.OpenRead(entry))
                    using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    {
                        source.CopyTo(target);
                    }

                    break;
                case EntryKind.Symlink:
                    if (LibC.symlink(entry.LinkTarget ?? "", path) != 0)
                    {
                        throw new BuildException($"symlink {path}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                    }

                    break;
                default:
                    continue;
            }

            if (LibC.lchown(path, entry.Uid, entry.Gid) != 0)
            {
                throw new BuildException($"chown {path}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }

            if (entry.Kind != EntryKind.Symlink)
            {
                // After the chown, which clears setuid and setgid bits.
                File.SetUnixFileMode(path, (UnixFileMode)(entry.Mode & 0xFFF));
                File.SetLastWriteTimeUtc(path, entry.ModifiedTime.UtcDateTime);
            }
        }
    }
}
