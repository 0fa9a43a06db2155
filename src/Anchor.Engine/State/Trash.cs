using Anchor.Linux;

namespace Anchor.Engine.State;

/// <summary>
/// Removal in two steps, as containerd's snapshotters do: a removed directory is renamed into
/// ROOT/trash (atomic; from then on no verb sees it), and a detached reaper (<c>anchor reap-trash</c>,
/// the same binary) deletes what the trash holds. Deleting is the slow half: on a filesystem mounted
/// with <c>discard</c>, every freed block is a synchronous discard request (ext4_free_blocks →
/// blkdev_issue_discard), tens of milliseconds for one small container directory here, which
/// `run --rm` no longer waits for.
/// One reaper per store at a time, holding ROOT/trash.lock for its whole life: it stays a second
/// after its last deletion so that removals arriving meanwhile share it, runs at SCHED_IDLE so that
/// it never takes a CPU from a container being started, and after letting go of the lock looks at
/// the trash once more (a removal that found the lock held relies on that look). A reaper that dies leaves its work to
/// the next one: each reaper empties the whole trash.
/// </summary>
public sealed class Trash(AnchorPaths paths)
{
    public const string StageName = "reap-trash";

    /// <summary>How often a reaper looks at the trash.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a reaper stays with nothing to do before it ends.</summary>
    private static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(1);

    /// <summary>Moves <paramref name="path"/> (a directory under the store root) into the trash.</summary>
    public void Put(string path, string label)
    {
        PrivateDirectory.Create(paths.Trash);
        Directory.Move(path, Path.Combine(paths.Trash, $"{label}-{Guid.NewGuid():N}"));
    }

    /// <summary>
    /// Makes sure a reaper will empty the trash: starts one unless one holds the lock (it looks
    /// again after letting go); if none can start, empties the trash here.
    /// </summary>
    public void StartReaper()
    {
        using var idle = FileLock.TryExclusive(LockPath(paths.Root));
        if (idle is null)
        {
            return;
        }

        try
        {
            // The lock goes to the reaper with the descriptor (its fd 3): from this moment on the
            // next removal sees a reaper, even before this one has run at all. Released here and
            // taken again there, removals in the gap each started a reaper of their own, and on a
            // busy machine, where an idle-class process waits long for its first instruction, a
            // tight loop of `run --rm` piled them up, each spawn paid by a `run`.
            DetachedProcess.Start(StageBinary.Path, [StageName, paths.Root, HeldLockArgument], inherit: idle.Descriptor);
        }
        catch (LinuxException)
        {
            ReapNow();
        }
    }

    /// <summary>Empties the trash in this process (when no reaper can be started).</summary>
    public void ReapNow() => Reap(paths.Trash);

    /// <summary>The reaper's last argument when its starter hands it the trash lock as descriptor 3.</summary>
    private const string HeldLockArgument = "--lock-fd=3";

    /// <summary>The hidden stage: <c>anchor reap-trash ROOT [--lock-fd=3]</c> empties ROOT/trash and nothing else.</summary>
    public static unsafe int RunStage(string[] args)
    {
        var handedLock = args.Length == 3 && args[2] == HeldLockArgument;
        if ((args.Length != 2 && !handedLock) || !Path.IsPathFullyQualified(args[1]))
        {
            Console.Error.WriteLine("usage: anchor reap-trash ROOT (an absolute store root)");
            return ExitCodes.EngineError;
        }

        // The starter holds the lock until it closes its copy: this one keeps it from the start.
        var adopted = handedLock ? FileLock.Adopt(3) : null;
        var param = 0;
        _ = Linux.Interop.LibC.sched_setscheduler(0, Linux.Interop.LibC.SCHED_IDLE, &param); // best effort
        var trash = Path.Combine(args[1], AnchorPaths.TrashName);
        if (!Directory.Exists(args[1]))
        {
            return 0; // a store that is gone has no trash
        }

        // A store made before containers were spread over the block groups gets the mark here, off
        // every command's path; the reaper's deletions are what made one packed group slow.
        _ = TopDirectory.TryMark(Path.Combine(args[1], AnchorPaths.ContainersName));

        // Bounded: an entry nobody can delete must not keep a reaper alive forever.
        for (var round = 0; round < 10; round++)
        {
            using (var held = adopted ?? FileLock.TryExclusive(LockPath(args[1])))
            {
                adopted = null; // the first round's, released with it
                if (held is null)
                {
                    return 0; // the reaper holding it looks again after letting go
                }

                // Reap, then stay a while: removals that come meanwhile find the lock held and
                // start no process of their own (a tight loop of `run --rm` starts about one
                // reaper per IdleTime instead of one each).
                var idle = TimeSpan.Zero;
                while (idle < IdleTime)
                {
                    if (HasEntries(trash))
                    {
                        Reap(trash);
                        idle = TimeSpan.Zero;
                    }

                    Thread.Sleep(Poll);
                    idle += Poll;
                }
            }

            if (!HasEntries(trash))
            {
                return 0;
            }
        }

        return 0;
    }

    private static bool HasEntries(string trash) => Directory.Exists(trash) && Directory.EnumerateDirectories(trash).Any();

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

    private static string LockPath(string root) => Path.Combine(root, "trash.lock");
}
