using System.Runtime.ExceptionServices;
using Anchor.Images.Registry;
using Anchor.Linux;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Copy;

/// <summary>
/// Connects an archiver and an extractor through a pipe: the tar stream is produced on a second
/// thread and consumed on the caller's, so a copy never holds a whole archive in memory or on disk.
/// </summary>
internal static class TarPipe
{
    /// <summary>Runs both ends; returns the size of the tar stream that went through.</summary>
    public static long Run(Action<Stream> produce, Action<Stream> consume)
    {
        var (readFd, writeFd) = Sys.Pipe();
        var reader = new FileStream(new SafeFileHandle(readFd, ownsHandle: true), FileAccess.Read, 1 << 16);
        var writer = new FileStream(new SafeFileHandle(writeFd, ownsHandle: true), FileAccess.Write, 1 << 16);
        Exception? produceError = null;
        var producer = new Thread(() =>
        {
            try
            {
                using (writer)
                {
                    produce(writer);
                }
            }
            catch (Exception e)
            {
                produceError = e;
            }
        })
        {
            Name = "cp-archive",
        };
        producer.Start();
        Exception? consumeError = null;
        var counted = new CountingStream(reader, null);
        try
        {
            consume(counted);
            counted.CopyTo(Stream.Null); // Tar padding after the end marker: let the producer finish.
        }
        catch (Exception e)
        {
            consumeError = e;
        }
        finally
        {
            reader.Dispose(); // A producer still writing now fails with EPIPE instead of blocking.
        }

        producer.Join();
        // The side that failed first explains the failure: a broken pipe on the archive side is the
        // consequence of an extraction error, a truncated archive the consequence of a read error.
        var first = produceError is not null && (consumeError is null || produceError is not IOException) ? produceError : consumeError;
        if (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }

        return counted.Position;
    }
}
