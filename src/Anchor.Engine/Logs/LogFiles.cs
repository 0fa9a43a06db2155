using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Logs;

/// <summary>
/// A container's log as the files it is kept in: ID-json.log and, once rotated (--log-opt
/// max-size), ID-json.log.1 (newest) … .N (oldest), each possibly .gz, opened oldest first. Each handle is taken with
/// its size at the time, so lines appended meanwhile are left for following.
/// </summary>
internal sealed unsafe class LogFiles : IDisposable
{
    private LogFiles(List<(SafeFileHandle File, long Size)> files) => Files = files;

    /// <summary>Oldest first; the last is the current file.</summary>
    public IReadOnlyList<(SafeFileHandle File, long Size)> Files { get; }

    public static LogFiles Open(string path)
    {
        var files = new List<(SafeFileHandle, long)>();
        try
        {
            // The current file first: the writer renames the oldest first and the current last, so
            // every rotated file opened after it holds lines older than it.
            var current = OpenCurrent(path);
            files.Add((current, RandomAccess.GetLength(current)));
            for (var i = 1; OpenRotated(Monitor.JsonLogWriter.Rotated(path, i)) is { } rotated; i++)
            {
                files.Add(rotated);
            }
        }
        catch
        {
            files.ForEach(f => f.Item1.Dispose());
            throw;
        }

        files.Reverse();
        return new LogFiles(files);
    }

    /// <summary>Whether <paramref name="path"/> names another file than <paramref name="file"/> now (the writer rotated it).</summary>
    public static bool Replaced(string path, SafeFileHandle file)
    {
        LibC.StatBuf byPath, byHandle;
        if (LibC.stat(path, &byPath) != 0)
        {
            return false; // Between the rename and the new file: not yet.
        }

        return LibC.fstatat((int)file.DangerousGetHandle(), "", &byHandle, LibC.AT_EMPTY_PATH) == 0
            && (byPath.st_ino != byHandle.st_ino || byPath.st_dev != byHandle.st_dev);
    }

    public static SafeFileHandle OpenCurrent(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>
    /// A rotated file, plain or (--log-opt compress) gzipped: the plain name first, as moby's reader
    /// does, since the writer removes it only once the .gz is complete.
    /// </summary>
    private static (SafeFileHandle, long)? OpenRotated(string path) =>
        OpenOne(path) ?? RotatedLog.OpenDecompressed(path + Monitor.JsonLogWriter.Compressed);

    private static (SafeFileHandle, long)? OpenOne(string path)
    {
        try
        {
            var handle = OpenCurrent(path);
            return (handle, RandomAccess.GetLength(handle));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var (file, _) in Files)
        {
            file.Dispose();
        }
    }
}
