namespace Anchor.Network;

/// <summary>
/// Interface names: host ends of Anchor's veths start with "av" (the engine picks the rest, at
/// most 15 characters in all: IFNAMSIZ), which is how <see cref="Leftovers"/> recognises them;
/// inside the container, endpoint N is ethN.
/// </summary>
public static class VethNames
{
    public const string Prefix = "av";

    /// <summary>The in-container name of endpoint <paramref name="index"/>: eth0, eth1…</summary>
    public static string Container(int index) => $"eth{index}";
}
