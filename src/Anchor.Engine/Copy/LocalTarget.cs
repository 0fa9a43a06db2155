using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>The local side of a copy out, resolved as docker's client resolves it (pkg/archive CopyInfoDestinationPath); Output.OutputPath validates it first.</summary>
internal static class LocalTarget
{
    private const int MaxLinks = 10;

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
