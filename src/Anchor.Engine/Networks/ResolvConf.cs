using System.Text;

namespace Anchor.Engine.Networks;

/// <summary>
/// A container's /etc/resolv.conf (libnetwork sandbox_dns_unix.go setupDNS). Without --dns,
/// --dns-search and --dns-option: the host's file, in a private network namespace without loopback
/// resolvers the container cannot reach (FilterResolvDNS, with docker's fallback to 8.8.8.8 and
/// 8.8.4.4 when none is left). With any of them: docker's resolvconf.Build, which writes the search
/// line, then the nameservers, then the options line, each from the flag or else from the host's file.
/// </summary>
public static class ResolvConf
{
    public static string Render(string host, IReadOnlyList<string> dns, IReadOnlyList<string> search, IReadOnlyList<string> options, bool privateNamespace)
    {
        var lines = host.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var hostServers = lines.Where(l => Keyword(l) == "nameserver")
            .Where(l => !privateNamespace || !IsLoopback(l["nameserver".Length..].Trim()))
            .ToList();
        var fallback = hostServers.Count == 0 && privateNamespace ? "nameserver 8.8.8.8\nnameserver 8.8.4.4\n" : "";
        var output = new StringBuilder();
        if (dns.Count == 0 && search.Count == 0 && options.Count == 0)
        {
            foreach (var line in lines.Where(l => Keyword(l) != "nameserver" || hostServers.Contains(l)))
            {
                output.Append(line).Append('\n');
            }

            return output.Append(fallback).ToString();
        }

        var searchList = search.Count > 0 ? search : Values(lines, "search");
        if (searchList.Count > 0 && string.Join(' ', searchList).Trim(' ') != ".")
        {
            output.Append("search ").AppendJoin(' ', searchList).Append('\n');
        }

        if (dns.Count > 0)
        {
            foreach (var server in dns)
            {
                output.Append("nameserver ").Append(server).Append('\n');
            }
        }
        else
        {
            foreach (var line in hostServers)
            {
                output.Append(line).Append('\n');
            }

            output.Append(fallback);
        }

        var optionList = options.Count > 0 ? options : Values(lines, "options");
        if (optionList.Count > 0 && string.Join(' ', optionList).Trim(' ').Length > 0)
        {
            output.Append("options ").AppendJoin(' ', optionList).Append('\n');
        }

        return output.ToString();
    }

    private static string Keyword(string line) => line.Split([' ', '\t'], 2)[0];

    private static bool IsLoopback(string address) => address.StartsWith("127.", StringComparison.Ordinal) || address == "::1";

    /// <summary>The words of the host's last KEYWORD line (resolvconf.GetSearchDomains/GetOptions).</summary>
    private static string[] Values(List<string> lines, string keyword) =>
        lines.LastOrDefault(l => Keyword(l) == keyword) is { } line
            ? line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1..]
            : [];
}
