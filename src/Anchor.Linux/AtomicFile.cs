namespace Anchor.Linux;

/// <summary>
/// Write-then-rename: readers see the old content or the new, never a torn file, even after a crash.
/// The data is fsynced before the rename and the directory after it (rename(2), fsync(2)).
/// </summary>
public static class AtomicFile
{
    /// <param name="durable">
    /// False skips both fsyncs: the rename is still atomic (readers see old or new), but a crash
    /// may lose the update. Only for state that does not outlive the host's uptime anyway
    /// (a --rm container, a "running" status).
    /// </param>
    /// <param name="mode">
    /// The file's mode, given to open(2) for the temporary file so the content is never readable
    /// with wider permissions, not even between the write and a later chmod. Null: 0666 less the umask.
    /// </param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data, bool durable = true, UnixFileMode? mode = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } unixMode)
            {
                options.UnixCreateMode = unixMode;
            }

            using (var fs = new FileStream(tmp, options))
            {
                fs.Write(data);
                fs.Flush(flushToDisk: durable);
            }

            File.Move(tmp, path, overwrite: true);
            if (durable)
            {
                FsyncDirectory(dir);
            }
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    public static void FsyncDirectory(string dir)
    {
        var fd = Interop.LibC.open(dir, Interop.LibC.O_RDONLY | Interop.LibC.O_DIRECTORY | Interop.LibC.O_CLOEXEC, 0);
        if (fd >= 0)
        {
            Interop.LibC.fsync(fd);
            Interop.LibC.close(fd);
        }
    }
}
