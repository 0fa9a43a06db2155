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
            Reap(paths.Trash);
        }
    }

    /// <summary>The hidden stage: <c>anchor reap-trash ROOT</c> empties ROOT/trash and nothing else.</summary>
    public static int RunStage(string[] args)
    {
        if (args.Length != 2 || !Path.IsPathFullyQualified(args[1]))
        {
            Console.Error.WriteLine("usage: anchor reap-trash ROOT (an absolute store root)");
            return ExitCodes.EngineError;
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
