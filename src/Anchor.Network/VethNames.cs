using System.Text.RegularExpressions;

namespace Anchor.Network;

/// <summary>
/// Host-side veth names: "av" + the container ID's first 12 hex digits + one base-36 digit for
/// the endpoint's index: 15 characters, the most IFNAMSIZ allows. The ID in the name is what lets
/// <see cref="Leftovers"/> tell whose a link is.
/// </summary>
public static partial class VethNames
{
    public const string Prefix = "av";

    public static string Host(string containerId, int index) =>
        index is >= 0 and < 36
            ? $"{Prefix}{containerId[..12]}{"0123456789abcdefghijklmnopqrstuvwxyz"[index]}"
            : throw new ArgumentOutOfRangeException(nameof(index), index, "at most 36 endpoints per container");

    /// <summary>The in-container name of endpoint <paramref name="index"/>: eth0, eth1…</summary>
    public static string Container(int index) => $"eth{index}";

    /// <summary>The container ID prefix of an Anchor host veth, or null for any other name.</summary>
    public static string? ContainerIdPrefix(string linkName)
    {
        var match = HostName().Match(linkName);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("^av([0-9a-f]{12})[0-9a-z]$")]
    private static partial Regex HostName();
}
