using System.Text;

namespace Anchor.Engine.Run;

/// <summary>
/// /etc/hostname, /etc/hosts and /etc/resolv.conf for a container, written on the host and
/// bind-mounted in, as docker does, so the image's own files stay untouched.
/// </summary>
public static class EtcFiles
{
    private const string LoopbackHosts =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    public static void Write(ContainerFiles files, string hostname, NetworkMode network)
    {
        File.WriteAllText(files.Hostname, hostname + "\n");
        if (network == NetworkMode.Host)
        {
            File.WriteAllText(files.Hosts, ReadHost("/etc/hosts") ?? LoopbackHosts);
            File.WriteAllText(files.ResolvConf, ReadHost("/etc/resolv.conf") ?? "");
            return;
        }

        File.WriteAllText(files.Hosts, LoopbackHosts);
        File.WriteAllText(files.ResolvConf, ForPrivateNetwork(ReadHost("/etc/resolv.conf") ?? ""));
    }

    /// <summary>
    /// A host resolver on 127.0.0.0/8 or ::1 is unreachable from another network namespace: drop it,
    /// and fall back to public resolvers when nothing is left (docker's resolvconf.FilterResolvDNS).
    /// </summary>
    public static string ForPrivateNetwork(string hostResolvConf)
    {
        var output = new StringBuilder();
        var nameservers = 0;
        foreach (var line in hostResolvConf.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("nameserver", StringComparison.Ordinal))
            {
                var address = trimmed["nameserver".Length..].Trim();
                if (address.StartsWith("127.", StringComparison.Ordinal) || address == "::1")
                {
                    continue;
                }

                nameservers++;
            }

            if (trimmed.Length > 0)
            {
                output.Append(trimmed).Append('\n');
            }
        }

        if (nameservers == 0)
        {
            output.Append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        }

        return output.ToString();
    }

    private static string? ReadHost(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
