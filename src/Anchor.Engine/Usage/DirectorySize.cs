namespace Anchor.Engine.Usage;

/// <summary>
/// Bytes a directory tree holds, as docker's directory.Size counts them (moby pkg/directory): the
/// st_size of every non-directory, a file with several links once, symbolic links not followed.
/// </summary>
public static class DirectorySize
{
    public static long Of(string path)
    {
        if (!Directory.Exists(path))
        {
            return 0;
        }

        long total = 0;
        var seen = new HashSet<(long Dev, long Ino)>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true, ReturnSpecialDirectories = false };
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", options))
        {
            if (entry is FileInfo file)
            {
                var (size, dev, ino, links) = Stat(file.FullName);
                if (links <= 1 || seen.Add((dev, ino)))
                {
                    total += size;
                }
            }
        }

        return total;
    }

    private static unsafe (long Size, long Dev, long Ino, long Links) Stat(string path)
    {
        Linux.Interop.LibC.StatBuf st;
        return Linux.Interop.LibC.lstat(path, &st) < 0 ? (0, 0, 0, 1) : (st.st_size, (long)st.st_dev, (long)st.st_ino, (long)st.st_nlink);
    }
}
