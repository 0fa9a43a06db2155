namespace Anchor.Network;

/// <summary>
/// Kernel parameters under /proc/sys (Documentation/networking/ip-sysctl.rst), written only when
/// they differ so an unchanged value costs one read.
/// </summary>
public static class Sysctl
{
    /// <summary>net.ipv4.ip_forward: route between the bridges and the host's interfaces.</summary>
    public static void EnableForwarding() => Set("/proc/sys/net/ipv4/ip_forward", "1");

    /// <summary>
    /// net.ipv4.conf.BRIDGE.route_localnet: let packets from 127.0.0.0/8, DNATed to a container,
    /// be routed out of the bridge (otherwise martians), which makes published ports answer on
    /// 127.0.0.1 without a userland proxy (netavark does the same).
    /// </summary>
    public static void EnableRouteLocalnet(string bridge) => Set($"/proc/sys/net/ipv4/conf/{bridge}/route_localnet", "1");

    public static void Set(string path, string value)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() == value)
        {
            return;
        }

        File.WriteAllText(path, value + "\n");
    }
}
