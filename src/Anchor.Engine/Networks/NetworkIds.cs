using System.Security.Cryptography;
using System.Text;

namespace Anchor.Engine.Networks;

/// <summary>IDs of networks and endpoints (64 hex digits) and names of host-side veths.</summary>
public static class NetworkIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A fixed ID for a predefined network, so every command agrees on it without storing it first.</summary>
    public static string FromName(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("anchor-network:" + name)));

    /// <summary>"av" + 10 hex digits: 12 characters, within IFNAMSIZ (15 + NUL).</summary>
    public static string NewVethName() => "av" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    /// <summary>The bridge of a user network: anc- + the first 11 hex digits of its ID (15 characters).</summary>
    public static string BridgeName(string networkId) => "anc-" + networkId[..11];
}
