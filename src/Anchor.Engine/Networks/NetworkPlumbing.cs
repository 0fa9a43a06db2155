namespace Anchor.Engine.Networks;

/// <summary>
/// Which plumbing this build uses, and what --network defaults to: docker's "bridge" with the
/// kernel side (<see cref="KernelPlumbing"/>), "none" with <see cref="UnwiredPlumbing"/> (tests that
/// must not touch the host's network set it).
/// </summary>
public static class NetworkPlumbing
{
    public static INetworkPlumbing Current { get; set; } = KernelPlumbing.Instance;

    public static string DefaultNetwork => Current.IsWired ? PredefinedNetworks.Bridge : PredefinedNetworks.None;
}
