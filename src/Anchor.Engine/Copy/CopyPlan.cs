namespace Anchor.Engine.Copy;

/// <summary>
/// Where an archive of the source is extracted and how its top entry is renamed, so that the
/// result lands where docker puts it (pkg/archive PrepareArchiveCopy; docker cp reference):
/// <list type="bullet">
/// <item>destination is an existing directory: the source goes inside it under its own name
/// (for <c>SRC/.</c> the top entry is "." so only the contents arrive);</item>
/// <item>destination is an existing file: a file source replaces it, a directory source is an error;</item>
/// <item>destination is missing: it is created, a directory with the source's content or the file
/// itself; a missing destination ending in "/" cannot be created from a file.</item>
/// </list>
/// </summary>
public sealed record CopyPlan(string ExtractDir, string? RebaseFrom, string? RebaseTo)
{
    public static CopyPlan Prepare(string sourcePath, bool sourceIsDir, CopyInfo destination)
    {
        var (dstDir, dstBase) = CopyPaths.Split(destination.Path);
        var srcBase = CopyPaths.Split(sourcePath).Base;
        if (srcBase == "/")
        {
            srcBase = ".";
        }

        if (destination.Exists && destination.IsDir)
        {
            return new CopyPlan(destination.Path, null, null);
        }

        if (destination.Exists && sourceIsDir)
        {
            throw new EngineException("cannot copy directory", 1);
        }

        if (!destination.Exists && !sourceIsDir && CopyPaths.AssertsDirectory(destination.Path))
        {
            throw new EngineException("no such directory", 1);
        }

        return new CopyPlan(dstDir, srcBase, dstBase);
    }

    /// <summary>
    /// The entry name after renaming the top element (pkg/archive RebaseArchiveEntries): the top
    /// entry itself or anything under it gets the new top name, other entries are left alone.
    /// </summary>
    public string Rebase(string entryName)
    {
        if (RebaseFrom is null || RebaseTo is null)
        {
            return entryName;
        }

        if (entryName == RebaseFrom || entryName == RebaseFrom + "/")
        {
            return RebaseTo + entryName[RebaseFrom.Length..];
        }

        return entryName.StartsWith(RebaseFrom + "/", StringComparison.Ordinal)
            ? RebaseTo + entryName[RebaseFrom.Length..]
            : entryName;
    }
}
