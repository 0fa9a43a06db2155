using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Logs;

/// <summary>
/// A rotated log file compressed with --log-opt compress=true (moby loggerutils compressFile):
/// ID-json.log.1 becomes ID-json.log.1.gz, a gzip stream of the same lines, which docker's own
/// tools can read. The plain file goes only once the compressed one is complete and in place.
/// </summary>
public static class RotatedLog
{
    /// <summary>Writes <paramref name="path"/>.gz (through a temporary name, then a rename) and removes <paramref name="path"/>.</summary>
    public static void Compress(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = path + Monitor.JsonLogWriter.Compressed;
        var partial = target + ".tmp";
        try
        {
            using (var source = File.OpenRead(path))
            using (var file = new FileStream(partial, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = Linux.FileModes.LogFile,
            }))
            using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            {
                source.CopyTo(gzip);
            }

            File.Move(partial, target, overwrite: true);
            File.Delete(path);
        }
        catch (IOException)
        {
            // As moby: a rotated file that could not be compressed stays as it is (readers take
            // either form); nothing half-written is left under the compressed name.
            File.Delete(partial);
        }
    }

    /// <summary>
    /// The lines of a compressed rotated file as a readable file: decompressed into a temporary file
    /// that is unlinked at once (moby decompresses into a temporary file too), so nothing is left
    /// behind whatever happens to the reader. Null when <paramref name="path"/> does not exist.
    /// </summary>
    public static (SafeFileHandle File, long Size)? OpenDecompressed(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream compressed;
        try
        {
            compressed = File.OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var temporary = Path.Combine(Path.GetTempPath(), $"anchor-log-{Guid.NewGuid():N}");
        var plain = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite);
        try
        {
            // Unlinked while still empty: the decompressed lines are never visible under a name.
            File.Delete(temporary);
            using (compressed)
            using (var gzip = new GZipStream(compressed, CompressionMode.Decompress))
            {
                var buffer = new byte[64 * 1024];
                long size = 0;
                int n;
                while ((n = gzip.Read(buffer)) > 0)
                {
                    RandomAccess.Write(plain, buffer.AsSpan(0, n), size);
                    size += n;
                }

                return (plain, size);
            }
        }
        catch
        {
            plain.Dispose();
            throw;
        }
    }
}
