namespace Anchor.Runtime.Launch;

/// <summary>
/// What the runtime needs from its caller besides a bundle: where compiled seccomp programs are
/// cached (runc compiles on every start; crun caches, and so does Anchor: the docker profile is
/// ~300 rules, compiling it takes milliseconds).
/// </summary>
public sealed record LaunchContext(string? SeccompCacheDirectory)
{
    public static LaunchContext None { get; } = new((string?)null);

    /// <summary>A thread started ahead for this launch's namespaces, when its caller made one (<see cref="NamespacePrestart"/>).</summary>
    public NamespacePrestart? Prestart { get; init; }
}
