namespace Anchor.Engine.Networks;

/// <summary>
/// Which plumbing this build uses, and what --network defaults to: docker's "bridge" once the kernel
/// side is wired, "none" until then (so a plain `anchor run` keeps working without faking a network).
/// </summary>
public static class NetworkPlumbing
{
    /// <summary>The kernel engineer replaces this with the Anchor.Network implementation.</summary>
    public static INetworkPlumbing Current { get; set; } = UnwiredPlumbing.Instance;

    public static string DefaultNetwork => Current.IsWired ? PredefinedNetworks.Bridge : PredefinedNetworks.None;
}
