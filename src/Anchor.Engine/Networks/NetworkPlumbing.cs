namespace Anchor.Engine.Networks;

/// <summary>
/// The plumbing the engine's network services use when none is given, and what --network
/// defaults to: docker's "bridge" with the kernel side (<see cref="KernelPlumbing"/>). Fixed for
/// the process (no setter: concurrent requests in one process must not see it change); tests give
/// <see cref="NetworkAttachments"/> and <see cref="NetworkService"/> another one (<see cref="UnwiredPlumbing"/>, a fake) through their constructors.
/// </summary>
public static class NetworkPlumbing
{
    public static INetworkPlumbing Current => KernelPlumbing.Instance;

    public static string DefaultNetwork => Current.IsWired ? PredefinedNetworks.Bridge : PredefinedNetworks.None;
}
