using System.Text;

namespace Anchor.Engine.Networks;

/// <summary>
/// A container's /etc/hosts, as docker writes it: loopback and IPv6 lines, --add-host entries, the
/// container's own addresses with its hostname, then (Anchor's addition) every other container on
/// the same user networks by name, aliases and short ID.
/// </summary>
/// <remarks>
/// docker resolves container names on user networks with an embedded DNS server at 127.0.0.11 inside
/// each container. Anchor has no resident process to run one, so it writes the names into the hosts
/// file instead and rewrites the file in place whenever a container joins or leaves the network
/// (<see cref="NetworkHosts"/>). Every libc (glibc, musl, busybox) reads /etc/hosts before DNS, so
/// names resolve the same everywhere, with no daemon and no extra process per container.
/// </remarks>
public static class HostsFile
{
    public const string Loopback =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    public static string Render(IEnumerable<HostEntry> extra, IEnumerable<HostEntry> own, IEnumerable<HostEntry> peers)
    {
        var text = new StringBuilder(Loopback);
        foreach (var entry in extra.Concat(own).Concat(peers))
        {
            text.Append(entry).Append('\n');
        }

        return text.ToString();
    }
}
