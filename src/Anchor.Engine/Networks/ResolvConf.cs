using System.Text;

namespace Anchor.Engine.Networks;

/// <summary>
/// A container's /etc/resolv.conf: the host's, with --dns, --dns-search and --dns-option replacing
/// its nameserver, search/domain and options lines (docker's resolvconf.Build), and, in a private
/// network namespace, without loopback resolvers the container cannot reach (FilterResolvDNS, with
/// docker's fallback to 8.8.8.8 and 8.8.4.4 when none is left).
/// </summary>
public static class ResolvConf
{
    public static string Render(string host, IReadOnlyList<string> dns, IReadOnlyList<string> search, IReadOnlyList<string> options, bool privateNamespace)
    {
        var output = new StringBuilder();
        var nameservers = 0;
        foreach (var line in host.Split('\n'))
        {
            var trimmed = line.Trim();
            var keyword = trimmed.Split([' ', '\t'], 2)[0];
            if ((keyword == "nameserver" && dns.Count > 0)
                || (keyword is "search" or "domain" && search.Count > 0)
                || (keyword == "options" && options.Count > 0)
                || trimmed.Length == 0)
            {
                continue;
            }

            if (keyword == "nameserver")
            {
                var address = trimmed["nameserver".Length..].Trim();
                if (privateNamespace && (address.StartsWith("127.", StringComparison.Ordinal) || address == "::1"))
                {
                    continue;
                }

                nameservers++;
            }

            output.Append(trimmed).Append('\n');
        }

        foreach (var server in dns)
        {
            output.Append("nameserver ").Append(server).Append('\n');
            nameservers++;
        }

        if (nameservers == 0 && privateNamespace)
        {
            output.Append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        }

        if (search.Count > 0)
        {
            output.Append("search ").AppendJoin(' ', search).Append('\n');
        }

        if (options.Count > 0)
        {
            output.Append("options ").AppendJoin(' ', options).Append('\n');
        }

        return output.ToString();
    }
}
