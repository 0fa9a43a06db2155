using System.Net;

namespace Anchor.Network;

/// <summary>A bridge network as the kernel and the firewall see it: bridge name, subnet, gateway, internal (no way out).</summary>
public sealed record BridgeSpec(string Bridge, IPNetwork Subnet, IPAddress Gateway, bool Internal = false);
