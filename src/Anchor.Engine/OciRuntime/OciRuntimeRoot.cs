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

    /// <summary>Claims the ID: mkdir(2) of its directory fails with EEXIST when another container has it.</summary>
    public void Claim(string id)
    {
        ValidateId(id);
        System.IO.Directory.CreateDirectory(Directory);
        if (LibC.mkdir(ContainerDirectory(id), 0x1C0) != 0) // 0700
        {
            var errno = Sys.LastErrno;
            throw errno == LibC.EEXIST
                ? new EngineException("container with given ID already exists", ErrorExit)
                : new LinuxException(errno, "mkdir", ContainerDirectory(id));
        }
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

    /// <summary>Every container with a state file, by ID (a directory without one is a create in progress or a failed one).</summary>
    public IReadOnlyList<OciContainerState> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateDirectories(Directory)
            .Select(d => TryLoad(Path.GetFileName(d)))
            .OfType<OciContainerState>()
            .OrderBy(s => s.Created)
            .ToList();
    }

    public void Remove(string id) => System.IO.Directory.Delete(ContainerDirectory(id), recursive: true);

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
