using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// The runtime's state directory (runc's --root, a tmpfs such as /run/anchor-runc): one directory
/// per container holding state.json and, while it is created but not started, the socket its
/// holder waits on. Failures are runc's words (libcontainer/error.go) and exit code 1.
/// </summary>
public sealed class OciRuntimeRoot(string directory)
{
    public const string DefaultDirectory = "/run/anchor-runc";
    public const int ErrorExit = 1;
    private const string StateFile = "state.json";
    private const string StartSocketName = "start.sock";

    /// <summary>ID/claim: the cgroup path the create or run that made the directory is about to make.</summary>
    private const string ClaimFile = "claim";

    public string Directory { get; } = directory;

    public string ContainerDirectory(string id) => Path.Combine(Directory, id);

    public string StartSocket(string id) => Path.Combine(ContainerDirectory(id), StartSocketName);

    /// <summary>runc's validID: [\w+-.]+ and neither "." nor ".." (a path element of the root).</summary>
    public static void ValidateId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0)
        {
            throw new EngineException("container id cannot be empty", ErrorExit);
        }

        if (id is "." or ".." || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.'))
        {
            throw new EngineException("invalid container ID format", ErrorExit);
        }
    }

    /// <summary>
    /// Claims the ID: mkdir(2) of its directory fails with EEXIST when another container has it.
    /// The directory is held (a shared <see cref="DirectoryLock"/>) by the create or run that made
    /// it until the state is recorded, and by create's holder for its whole life, and names the
    /// cgroup about to be made (<see cref="ClaimFile"/>): a directory without a state file that
    /// nobody holds was left by a killed create or run, and the next list, delete or create of
    /// the ID reclaims it (<see cref="ReclaimAbandoned"/>) instead of the ID being taken for ever.
    /// </summary>
    /// <returns>The hold, which the caller keeps until the state is saved (or for ever: run).</returns>
    public DirectoryLock Claim(string id, string cgroupPath)
    {
        ValidateId(id);
        System.IO.Directory.CreateDirectory(Directory);
        var directory = ContainerDirectory(id);
        for (var attempt = 0; ; attempt++)
        {
            if (LibC.mkdir(directory, 0x1C0) != 0) // 0700
            {
                var errno = Sys.LastErrno;
                if (errno != LibC.EEXIST)
                {
                    throw new LinuxException(errno, "mkdir", directory);
                }

                if (attempt < 2 && ReclaimAbandoned(id))
                {
                    continue;
                }

                throw new EngineException("container with given ID already exists", ErrorExit);
            }

            // Null: a reclaimer found it unheld between the mkdir and the flock and took it away.
            if (DirectoryLock.AcquireShared(directory) is { } held)
            {
                try
                {
                    AtomicFile.WriteAllBytes(Path.Combine(directory, ClaimFile), System.Text.Encoding.UTF8.GetBytes(cgroupPath), durable: false, FileModes.PrivateFile);
                    return held;
                }
                catch
                {
                    held.Dispose();
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// A directory without a state file that nobody holds (its create or run and the holder are
    /// dead): the cgroup its claim names is destroyed with whatever still is in it, then the
    /// directory goes. True when the ID has no directory afterwards; false when it is recorded
    /// or someone is still at work on it.
    /// </summary>
    public bool ReclaimAbandoned(string id)
    {
        var directory = ContainerDirectory(id);
        if (TryLoad(id) is not null)
        {
            return false;
        }

        using var held = DirectoryLock.TryAcquire(directory);
        if (held is null)
        {
            return !System.IO.Directory.Exists(directory);
        }

        // Its creator may have recorded it just before it let go.
        if (TryLoad(id) is not null)
        {
            return false;
        }

        if (Sys.TryReadSmallText(Path.Combine(directory, ClaimFile)) is { Length: > 0 } cgroupPath)
        {
            OciCgroupPath.Manager(cgroupPath).Destroy();
        }

        Remove(id);
        return true;
    }

    public OciContainerState Load(string id)
    {
        ValidateId(id);
        return TryLoad(id) ?? throw new EngineException("container does not exist", ErrorExit);
    }

    public OciContainerState? TryLoad(string id)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(ContainerDirectory(id), StateFile)), OciStateJsonContext.Default.OciContainerState);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Save(OciContainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.WriteAllBytes(Path.Combine(ContainerDirectory(state.Id), StateFile), JsonSerializer.SerializeToUtf8Bytes(state, OciStateJsonContext.Default.OciContainerState), durable: false, FileModes.PrivateFile);
    }

    /// <summary>Every container with a state file, by ID (a directory without one is a create in progress; an abandoned one is reclaimed).</summary>
    public IReadOnlyList<OciContainerState> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.GetDirectories(Directory)
            .Where(d => !ReclaimAbandoned(Path.GetFileName(d)))
            .Select(d => TryLoad(Path.GetFileName(d)))
            .OfType<OciContainerState>()
            .OrderBy(s => s.Created)
            .ToList();
    }

    /// <summary>Deletes the ID's directory; one already gone is fine (a reclaim and an aborted create can race).</summary>
    public void Remove(string id)
    {
        try
        {
            System.IO.Directory.Delete(ContainerDirectory(id), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>runc's Container.Status: stopped once the first process is gone (or a zombie), paused while frozen, created until started.</summary>
    public static OciStatus StatusOf(OciContainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Pid <= 0 || !ProcessLiveness.IsAlive(state.Pid, state.PidStartTime))
        {
            return OciStatus.Stopped;
        }

        return state.Paused ? OciStatus.Paused : state.Started ? OciStatus.Running : OciStatus.Created;
    }

    public static string Text(OciStatus status) => status.ToString().ToLowerInvariant();

    public static ICgroupManager Cgroup(OciContainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return OciCgroupPath.Manager(state.CgroupPath);
    }
}
