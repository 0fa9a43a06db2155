using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Anchor.Network.Nft;

/// <summary>
/// The text of nft(8) transactions on Anchor's own table, <c>table ip anchor</c>. Each string is
/// applied whole by one <c>nft -f -</c>, which the kernel commits atomically or not at all.
/// Layout (every per-object piece is reachable only through a map element, so adding and removing
/// one is exact and never needs rule handles):
/// <list type="bullet">
/// <item><c>prerouting</c>/<c>output</c> (nat): packets to a local address (<c>fib daddr type local</c>,
/// which covers the wildcard host address, 127.0.0.1 and the host's own addresses) go through the
/// <c>ports</c> verdict map, keyed by protocol . port, to the publisher's chain
/// <c>pub-ID12</c>, which DNATs them (and checks the host address when one was given).</item>
/// <item><c>postrouting</c> (nat): <c>nat-BRIDGE</c> (via map <c>nat-nets</c>, by input bridge) masquerades
/// the subnet leaving through another interface and hairpinned DNAT traffic; connections from
/// 127.0.0.0/8 DNATed into a bridge are masqueraded so the container can answer them.</item>
/// <item><c>forward</c> (filter): established/related and DNATed (published) traffic is accepted, then
/// <c>fwd-BRIDGE</c> (via map <c>fwd-nets</c>) drops what goes from one Anchor bridge to another.</item>
/// <item><c>guard</c> (filter, prerouting, priority -300: before conntrack): route_localnet is on for Anchor bridges (see
/// <see cref="PortPublisher"/>), so containers' packets to 127.0.0.0/8 are dropped before routing
/// (the kube-proxy fix for CVE-2020-8558).</item>
/// </list>
/// </summary>
public static partial class NftRuleset
{
    public const string Table = "ip anchor";

    /// <summary>
    /// The DNAT chain of one publisher: what owns a set of published ports, named by the first 12
    /// hex digits of its ID (the engine uses the endpoint's ID, so one container on two networks
    /// has two).
    /// </summary>
    public static string PublisherChain(string publisherId) => "pub-" + Hex12(publisherId);

    public static string NatChain(string bridge) => "nat-" + Name(bridge);

    public static string FilterChain(string bridge) => "fwd-" + Name(bridge);

    /// <summary>The table, its maps and base chains; idempotent (base chains are flushed and refilled).</summary>
    public static string Skeleton()
    {
        var s = new StringBuilder();
        Line(s, $"add table {Table}");
        Line(s, $"add set {Table} bridges {{ type ifname; }}");
        Line(s, $"add map {Table} ports {{ type inet_proto . inet_service : verdict; }}");
        Line(s, $"add map {Table} nat-nets {{ type ifname : verdict; }}");
        Line(s, $"add map {Table} fwd-nets {{ type ifname : verdict; }}");
        BaseChain(s, "guard", "filter hook prerouting priority -300",
            "iifname @bridges ip daddr 127.0.0.0/8 drop");
        BaseChain(s, "prerouting", "nat hook prerouting priority dstnat",
            "fib daddr type local meta l4proto . th dport vmap @ports");
        BaseChain(s, "output", "nat hook output priority -100",
            "fib daddr type local meta l4proto . th dport vmap @ports");
        BaseChain(s, "postrouting", "nat hook postrouting priority srcnat",
            "oifname @bridges ip saddr 127.0.0.0/8 ct status dnat masquerade",
            "iifname vmap @nat-nets");
        BaseChain(s, "forward", "filter hook forward priority filter",
            "ct state established,related accept",
            "ct status dnat accept",
            "iifname vmap @fwd-nets");
        return s.ToString();
    }

    /// <summary>Skeleton plus one network's chains and map elements (replaced if present).</summary>
    public static string EnsureNetwork(BridgeSpec network) => Skeleton() + NetworkLines(network);

    /// <summary>Removes a network's chains and elements; succeeds whether or not they exist.</summary>
    public static string RemoveNetwork(string bridge)
    {
        var s = new StringBuilder(Skeleton());
        var nat = NatChain(bridge);
        var fwd = FilterChain(bridge);
        var name = Quote(bridge);
        // nft 1.0.6 has no "destroy": adding first makes the deletes valid in every state.
        Line(s, $"add chain {Table} {nat}");
        Line(s, $"add chain {Table} {fwd}");
        Line(s, $"add element {Table} bridges {{ {name} }}");
        Line(s, $"add element {Table} nat-nets {{ {name} : jump {nat} }}");
        Line(s, $"add element {Table} fwd-nets {{ {name} : jump {fwd} }}");
        Line(s, $"delete element {Table} nat-nets {{ {name} }}");
        Line(s, $"delete element {Table} fwd-nets {{ {name} }}");
        Line(s, $"delete element {Table} bridges {{ {name} }}");
        DeleteChain(s, nat);
        DeleteChain(s, fwd);
        return s.ToString();
    }

    /// <summary>
    /// A container's DNAT chain and its <c>ports</c> elements. With <paramref name="exclusive"/>
    /// the elements are made with <c>create</c>, which fails (EEXIST) when another container holds
    /// the port: the whole transaction is then rejected and nothing is left.
    /// </summary>
    /// <remarks>With <paramref name="network"/>, that network's chains are (re)applied in the same
    /// transaction: publishing needs them (127.0.0.1 masquerade, hairpin), and it repairs a table
    /// flushed behind Anchor's back at no extra nft run.</remarks>
    public static string Publish(string publisherId, IReadOnlyList<PortMapping> mappings, bool exclusive = true, BridgeSpec? network = null)
    {
        var s = new StringBuilder(Skeleton());
        if (network is not null)
        {
            s.Append(NetworkLines(network));
        }

        PublishLines(s, publisherId, mappings, exclusive);
        return s.ToString();
    }

    /// <summary>Removes a container's elements (the keys found pointing to its chain) and the chain.</summary>
    public static string Unpublish(string publisherId, IEnumerable<PortKey> keys)
    {
        var s = new StringBuilder();
        var chain = PublisherChain(publisherId);
        Line(s, $"add chain {Table} {chain}");
        var list = keys.Distinct().ToList();
        if (list.Count > 0)
        {
            Line(s, $"delete element {Table} ports {{ {string.Join(", ", list)} }}");
        }

        DeleteChain(s, chain);
        return s.ToString();
    }

    /// <summary>The whole table rebuilt from the store's truth, in one transaction (repair).</summary>
    public static string Resync(IEnumerable<BridgeSpec> networks, IEnumerable<ContainerPorts> published)
    {
        var s = new StringBuilder();
        Line(s, $"add table {Table}");
        Line(s, $"delete table {Table}");
        s.Append(Skeleton());
        foreach (var network in networks)
        {
            s.Append(NetworkLines(network));
        }

        foreach (var container in published.Where(c => c.Mappings.Count > 0))
        {
            PublishLines(s, container.PublisherId, container.Mappings, exclusive: false);
        }

        return s.ToString();
    }

    /// <summary>The elements of the <c>ports</c> map in a listing (<c>nft list map ip anchor ports</c>) and their chains.</summary>
    public static List<(PortKey Key, string Chain)> ParsePorts(string listing) =>
        PortElement().Matches(listing)
            .Select(m => (new PortKey(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)), m.Groups[3].Value))
            .ToList();

    /// <summary>The <c>pub-ID12</c> chains in a listing of the table.</summary>
    public static List<string> ParsePublisherChains(string listing) =>
        PublisherChainDeclaration().Matches(listing).Select(m => m.Groups[1].Value).ToList();

    private static string NetworkLines(BridgeSpec network)
    {
        var s = new StringBuilder();
        var nat = NatChain(network.Bridge);
        var fwd = FilterChain(network.Bridge);
        var name = Quote(network.Bridge);
        Line(s, $"add chain {Table} {nat}");
        Line(s, $"flush chain {Table} {nat}");
        // Hairpin: a container reaching a published port of its own bridge through a host address
        // would get the answer straight over the bridge, from an address it did not talk to.
        Line(s, $"add rule {Table} {nat} oifname {name} ct status dnat masquerade");
        if (!network.Internal)
        {
            Line(s, $"add rule {Table} {nat} ip saddr {network.Subnet} oifname != {name} masquerade");
        }

        Line(s, $"add chain {Table} {fwd}");
        Line(s, $"flush chain {Table} {fwd}");
        Line(s, network.Internal
            ? $"add rule {Table} {fwd} oifname != {name} drop"
            : $"add rule {Table} {fwd} oifname != {name} oifname @bridges drop");
        Line(s, $"add element {Table} bridges {{ {name} }}");
        Line(s, $"add element {Table} nat-nets {{ {name} : jump {nat} }}");
        Line(s, $"add element {Table} fwd-nets {{ {name} : jump {fwd} }}");
        return s.ToString();
    }

    private static void PublishLines(StringBuilder s, string publisherId, IReadOnlyList<PortMapping> mappings, bool exclusive)
    {
        var chain = PublisherChain(publisherId);
        Line(s, $"add chain {Table} {chain}");
        Line(s, $"flush chain {Table} {chain}");
        foreach (var m in mappings)
        {
            var protocol = Protocol(m.Protocol);
            var daddr = m.AnyHostIp ? "" : $"ip daddr {m.HostIp} ";
            Line(s, $"add rule {Table} {chain} {daddr}{protocol} dport {m.HostPort} dnat to {m.ContainerIp}:{m.ContainerPort}");
        }

        var keys = mappings.Select(m => new PortKey(Protocol(m.Protocol), m.HostPort)).Distinct();
        var elements = string.Join(", ", keys.Select(k => $"{k} : jump {chain}"));
        if (elements.Length > 0)
        {
            Line(s, $"{(exclusive ? "create" : "add")} element {Table} ports {{ {elements} }}");
        }
    }

    private static void BaseChain(StringBuilder s, string chain, string hook, params string[] rules)
    {
        var parts = hook.Split(' ', 2);
        Line(s, $"add chain {Table} {chain} {{ type {parts[0]} {parts[1]}; policy accept; }}");
        Line(s, $"flush chain {Table} {chain}");
        foreach (var rule in rules)
        {
            Line(s, $"add rule {Table} {chain} {rule}");
        }
    }

    private static void DeleteChain(StringBuilder s, string chain)
    {
        Line(s, $"flush chain {Table} {chain}");
        Line(s, $"delete chain {Table} {chain}");
    }

    private static void Line(StringBuilder s, string line) => s.Append(line).Append('\n');

    private static string Quote(string bridge) => $"\"{Name(bridge)}\"";

    /// <summary>Interface names go into the ruleset verbatim: only what Linux and nft both accept plainly.</summary>
    private static string Name(string bridge) =>
        InterfaceName().IsMatch(bridge) ? bridge : throw new ArgumentException($"invalid bridge name: {bridge}", nameof(bridge));

    private static string Protocol(string protocol) => protocol switch
    {
        "tcp" or "udp" or "sctp" => protocol,
        _ => throw new ArgumentException($"invalid protocol: {protocol}", nameof(protocol)),
    };

    private static string Hex12(string publisherId) =>
        publisherId.Length >= 12 && Hex().IsMatch(publisherId[..12])
            ? publisherId[..12]
            : throw new ArgumentException($"invalid container id: {publisherId}", nameof(publisherId));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,14}$")]
    private static partial Regex InterfaceName();

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\b(tcp|udp|sctp) \. (\d+) : jump (pub-[0-9a-f]{12})\b")]
    private static partial Regex PortElement();

    [GeneratedRegex(@"chain (pub-[0-9a-f]{12}) \{")]
    private static partial Regex PublisherChainDeclaration();
}
