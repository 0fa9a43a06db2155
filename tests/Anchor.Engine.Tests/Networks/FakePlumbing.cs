using Anchor.Engine.Containers;
using Anchor.Engine.Networks;

namespace Anchor.Engine.Tests.Networks;

/// <summary>Records what the metadata side asks of the kernel side.</summary>
public sealed class FakePlumbing(bool failAttach = false) : INetworkPlumbing
{
    public List<string> Calls { get; } = [];

    public bool IsWired => true;

    public void Attach(ContainerRecord container, int pid, NetworkRecord network, EndpointRecord endpoint, int? index = null)
    {
        lock (Calls)
        {
            Calls.Add($"attach {network.Name} {endpoint.Address}" + (index is { } n ? $" eth{n}" : ""));
        }

        if (failAttach)
        {
            throw new EngineException("veth failed");
        }
    }

    public void Publish(NetworkRecord network, EndpointRecord endpoint) => Record($"publish {endpoint.HostVethName}");

    public void Unpublish(NetworkRecord network, EndpointRecord endpoint) => Record($"unpublish {endpoint.Address}");

    public void Detach(NetworkRecord network, EndpointRecord endpoint) => Record($"detach {endpoint.Address}");

    public void RemoveNetwork(NetworkRecord network) => Record($"remove {network.Name}");

    public void Sweep(string storeTag, Func<IReadOnlyList<EndpointRecord>> liveEndpoints, bool rules)
    {
        // Nothing in the kernel to sweep.
    }

    private void Record(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }
    }
}
