using Anchor.Linux;

namespace Anchor.Engine.State;

/// <summary>
/// Removal in two steps, as containerd's snapshotters do: a removed directory is renamed into
/// ROOT/trash (atomic; from then on no verb sees it), and a detached reaper (<c>anchor reap-trash</c>,
/// the same binary) deletes what the trash holds. Deleting is the slow half: on a filesystem mounted
/// with <c>discard</c>, every freed block is a synchronous discard request (ext4_free_blocks →
/// blkdev_issue_discard), tens of milliseconds for one small container directory here, which
/// `run --rm` no longer waits for. A reaper that dies leaves its work to the next one: each
/// reaper empties the whole trash.
/// </summary>
public sealed class Trash(AnchorPaths paths)
{
    public const string StageName = "reap-trash";

    /// <summary>Moves <paramref name="path"/> (a directory under the store root) into the trash.</summary>
    public void Put(string path, string label)
    {
        Directory.CreateDirectory(paths.Trash);
        Directory.Move(path, Path.Combine(paths.Trash, $"{label}-{Guid.NewGuid():N}"));
    }

    /// <summary>Starts a reaper for the trash; if it cannot start, empties the trash here.</summary>
    public void StartReaper()
    {
        try
        {
            DetachedProcess.Start(Environment.ProcessPath ?? "/proc/self/exe", [StageName, paths.Root]);
        }
        catch (LinuxException)
        {
            ReapNow();
        }
    }

    /// <summary>Empties the trash in this process (when no reaper can be started).</summary>
    public void ReapNow() => Reap(paths.Trash);

    /// <summary>
    /// Starts a reaper now that waits until the returned handle is disposed (or this process ends)
    /// before it empties the trash: `run --rm` starts it while the container runs, so the exec of
    /// the reaper is not paid after the container exits.
    /// </summary>
    public PendingReaper StartPendingReaper()
    {
        var (read, write) = Sys.Pipe();
        try
        {
            DetachedProcess.Start(Environment.ProcessPath ?? "/proc/self/exe", [StageName, paths.Root, "wait"], inherit: read);
        }
        catch (LinuxException)
        {
            Linux.Interop.LibC.close(write);
            return new PendingReaper(-1, this);
        }
        finally
        {
            Linux.Interop.LibC.close(read);
        }

        return new PendingReaper(write, this);
    }

    /// <summary>
    /// The hidden stage: <c>anchor reap-trash ROOT [wait]</c> empties ROOT/trash and nothing else;
    /// with <c>wait</c>, only once its descriptor 3 reads end of file.
    /// </summary>
    public static unsafe int RunStage(string[] args)
    {
        if (args.Length is < 2 or > 3 || !Path.IsPathFullyQualified(args[1]) || (args.Length == 3 && args[2] != "wait"))
        {
            Console.Error.WriteLine("usage: anchor reap-trash ROOT [wait] (an absolute store root)");
            return ExitCodes.EngineError;
        }

        if (args.Length == 3)
        {
            byte b;
            while (Linux.Interop.LibC.read(3, &b, 1) is var n && (n > 0 || (n < 0 && Sys.LastErrno == Linux.Interop.LibC.EINTR)))
            {
            }
        }

        Reap(Path.Combine(args[1], AnchorPaths.TrashName));
        return 0;
    }

    /// <summary>Deletes every entry of the trash; entries another reaper is deleting are skipped.</summary>
    public static void Reap(string trash)
    {
        if (!Directory.Exists(trash))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateDirectories(trash))
        {
            try
            {
                Directory.Delete(entry, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Deleted by a concurrent reaper meanwhile, or not deletable now: the next reaper retries.
            }
        }
    }
}
