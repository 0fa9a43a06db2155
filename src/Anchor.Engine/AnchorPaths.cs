namespace Anchor.Engine;

/// <summary>
/// Where Anchor keeps things: the store root (images, layers, containers; survives reboots) and the
/// run root (runtime state; a tmpfs cleared at boot). Both can be moved with --root/--runroot or
/// ANCHOR_ROOT/ANCHOR_RUNROOT so tests and users can keep separate stores.
/// </summary>
public sealed record AnchorPaths(string Root, string RunRoot)
{
    public const string DefaultRoot = "/var/lib/anchor";
    public const string DefaultRunRoot = "/run/anchor";

    public const string ContainersName = "containers";

    public string Containers => Path.Combine(Root, ContainersName);

    public string ContainerDirectory(string id) => Path.Combine(Containers, id);

    public string ContainersLock => Path.Combine(Containers, "lock");

    public const string TrashName = "trash";

    /// <summary>Removed directories waiting for the reaper (<see cref="State.Trash"/>).</summary>
    public string Trash => Path.Combine(Root, TrashName);

    /// <summary>The monitor's attach socket, RUNROOT/containers/ID/attach (runtime state: gone at reboot).</summary>
    public string AttachSocket(string id) => Path.Combine(RunRoot, "containers", id, "attach");

    /// <summary>Compiled seccomp programs by key (Runtime's SeccompProgram.Load): survive reboots, rebuilt when damaged.</summary>
    public string SeccompCache => Path.Combine(Root, "seccomp");

    /// <summary>What the runtime needs from the store: where compiled seccomp programs are cached.</summary>
    public Runtime.Launch.LaunchContext LaunchContext => new(SeccompCache);

    public static AnchorPaths Resolve(string? root, string? runRoot) => new(
        Path.GetFullPath(root ?? Environment.GetEnvironmentVariable("ANCHOR_ROOT") ?? DefaultRoot),
        Path.GetFullPath(runRoot ?? Environment.GetEnvironmentVariable("ANCHOR_RUNROOT") ?? DefaultRunRoot));
}
