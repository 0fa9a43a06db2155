using System.Globalization;

namespace Anchor.Network.Nft;

/// <summary>A key of the <c>ports</c> verdict map: protocol and host port (inet_proto . inet_service).</summary>
public readonly record struct PortKey(string Protocol, int Port)
{
    public override string ToString() => $"{Protocol} . {Port.ToString(CultureInfo.InvariantCulture)}";
}
