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

    /// <summary>
    /// "av" + the store's tag + 6 random hex digits: still 12 characters. Several stores (the
    /// host's, tests' private ones) share the host's links and Anchor's nft table; the tag is how a
    /// store's sweep of leftovers (<see cref="INetworkPlumbing.Sweep"/>) leaves the others' alone.
    /// </summary>
    public static string NewVethName(string storeTag) => "av" + storeTag + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>4 hex digits derived from the store's root directory.</summary>
    public static string StoreTag(string root) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("anchor-store:" + Path.GetFullPath(root))))[..4];

    /// <summary>The store tag inside a veth name made by <see cref="NewVethName(string)"/>.</summary>
    public static string TagOf(string vethName) => vethName.Length >= 6 ? vethName[2..6] : "";

    /// <summary>The bridge of a user network: anc- + the first 11 hex digits of its ID (15 characters).</summary>
    public static string BridgeName(string networkId) => "anc-" + networkId[..11];
}
