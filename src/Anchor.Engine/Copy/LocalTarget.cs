using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>The local side of a copy out, checked as docker's client checks it (cli ValidateOutputPath, pkg/archive CopyInfoDestinationPath).</summary>
internal static class LocalTarget
{
    private const int MaxLinks = 10;

    /// <summary>The destination's parent directory must exist; an existing destination must be a directory or a regular file.</summary>
    public static void ValidateOutputPath(string path)
    {
        var dir = CopyPaths.Dir(CopyPaths.Clean(path));
        if (!Directory.Exists(dir))
        {
            throw new EngineException($"invalid output path: directory \"{dir}\" does not exist", 1);
        }

        var type = Linux.Sys.FileType(path.TrimEnd('/').Length == 0 ? "/" : path);
        if (type == LibC.S_IFLNK)
        {
            type = File.Exists(path) ? LibC.S_IFREG : Directory.Exists(path) ? LibC.S_IFDIR : 0;
        }

        if (type is not (0 or LibC.S_IFDIR or LibC.S_IFREG))
        {
            throw new EngineException($"invalid output path: \"{path}\" must be a directory or a regular file", 1);
        }
    }

    /// <summary>What is at the destination, symlinks followed (a dangling one names the file to create).</summary>
    public static CopyInfo Stat(string path)
    {
        var original = path;
        var type = Linux.Sys.FileType(path);
        for (var n = 0; type == LibC.S_IFLNK; n++)
        {
            if (n > MaxLinks)
            {
                throw new EngineException("too many symlinks in " + original, 1);
            }

            path = CopyPaths.ResolveLink(path, new FileInfo(path).LinkTarget!);
            type = Linux.Sys.FileType(path);
        }

        if (type != 0)
        {
            return new CopyInfo(path, true, type == LibC.S_IFDIR);
        }

        var parent = CopyPaths.Split(path).Dir;
        if (!Directory.Exists(parent))
        {
            throw new EngineException(File.Exists(parent) ? "not a directory" : $"stat {parent}: no such file or directory", 1);
        }

        return new CopyInfo(path, false, false);
    }
}
