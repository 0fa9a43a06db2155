using Anchor.Linux;

namespace Anchor.Engine.Output;

/// <summary>
/// A file a verb writes at a path the user names (<c>save -o</c>), as docker's client writes it
/// (moby/sys atomicwriter): the path is checked first (<see cref="OutputPath.ValidateFile"/>), the
/// content goes to a temporary file beside it, made 0600 like docker's, which is fsynced and renamed
/// onto the path only when everything was written. A failed write leaves the path as it was.
/// </summary>
public static class OutputFile
{
    /// <param name="failure">What the verb says before the reason (docker: "failed to save image").</param>
    public static void Write(string path, string failure, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            OutputPath.ValidateFile(path);
        }
        catch (EngineException e)
        {
            throw new EngineException($"{failure}: {e.Message}", e.ExitCode);
        }

        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".tmp-{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 16,
                UnixCreateMode = FileModes.PrivateFile,
            };
            using (var file = new FileStream(tmp, options))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            // Whatever was made at the path while we wrote: rename(2) would replace it.
            if (OutputPath.Refusal(full) is { } refusal)
            {
                throw new EngineException($"{failure}: {refusal}", 1);
            }

            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
