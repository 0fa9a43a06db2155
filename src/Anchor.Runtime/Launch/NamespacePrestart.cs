using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A namespace thread started ahead of need (<see cref="ContainerLauncher.Prestart"/>) and waiting
/// to be adopted by the next <see cref="ContainerLauncher.Spawn"/> given this holder in its
/// <see cref="LaunchContext"/>. The holder is its owner's (the CLI makes one per process), not the
/// runtime's: two launches in one process that do not share a holder never take each other's thread.
/// </summary>
public sealed class NamespacePrestart : IDisposable
{
    private Prestarted? _slot;

    /// <summary>Starts the namespaces a container will most likely need (see <see cref="ContainerLauncher.Prestart"/>).</summary>
    public void Start(IEnumerable<SpecNamespace> namespaces) => ContainerLauncher.Prestart(this, namespaces);

    /// <summary>Ends a thread nobody adopted.</summary>
    public void Dispose() => Take()?.Pending.Dispose();

    internal void Offer(PendingSpawn pending, int flags) => Interlocked.Exchange(ref _slot, new Prestarted(pending, flags))?.Pending.Dispose();

    internal Prestarted? Take() => Interlocked.Exchange(ref _slot, null);

    internal sealed record Prestarted(PendingSpawn Pending, int Flags);
}
