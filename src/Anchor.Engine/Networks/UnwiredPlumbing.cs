using Anchor.Engine.Containers;

namespace Anchor.Engine.Networks;

/// <summary>
/// The plumbing until Anchor.Network is wired in: anything that would need a veth fails with one
/// clear line. Cleanup has nothing to undo (nothing was ever attached), so it succeeds.
/// </summary>
public sealed class UnwiredPlumbing : INetworkPlumbing
{
    public static readonly UnwiredPlumbing Instance = new();

    public const string Message = "bridge networking is not implemented yet in this build of anchor (use --network none or host)";

    public bool IsWired => false;

    public void Attach(ContainerRecord container, int pid, NetworkRecord network, EndpointRecord endpoint, int? index = null) => throw new EngineException(Message);

    public void Publish(NetworkRecord network, EndpointRecord endpoint) => throw new EngineException(Message);

    public void Unpublish(NetworkRecord network, EndpointRecord endpoint)
    {
        // Nothing was published.
    }

    public void Detach(NetworkRecord network, EndpointRecord endpoint)
    {
        // Nothing was attached.
    }

    public void RemoveNetwork(NetworkRecord network)
    {
        // No bridge was ever made.
    }

    public void Sweep(string storeTag, Func<IReadOnlyList<EndpointRecord>> liveEndpoints, bool rules)
    {
        // Nothing was ever made.
    }
}
