using Anchor.Engine.Networks;

namespace Anchor.Engine.Run;

/// <summary>
/// /etc/hostname, /etc/hosts and /etc/resolv.conf for a container, written on the host and
/// bind-mounted in, as docker does, so the image's own files stay untouched. On bridge networks the
/// hosts file gains the container's address and its peers when it starts (<see cref="NetworkHosts"/>).
/// </summary>
public static class EtcFiles
{
    public static void Write(ContainerFiles files, string hostname, RunOptions options, string? sharedContainerDirectory = null)
    {
        File.WriteAllText(files.Hostname, hostname + "\n");
        if (options.Network == NetworkMode.Container && sharedContainerDirectory is not null)
        {
            // docker: a container sharing another's network namespace uses that container's files.
            var shared = new ContainerFiles(sharedContainerDirectory);
            File.WriteAllText(files.Hosts, ReadHost(shared.Hosts) ?? HostsFile.Loopback);
            File.WriteAllText(files.ResolvConf, ReadHost(shared.ResolvConf) ?? "");
            return;
        }

        var hostResolvConf = ReadHost("/etc/resolv.conf") ?? "";
        if (options.Network == NetworkMode.Host)
        {
            var hosts = ReadHost("/etc/hosts") ?? HostsFile.Loopback;
            File.WriteAllText(files.Hosts, hosts + string.Concat(options.ExtraHosts.Select(h => ExtraHosts.ToEntry(h, "127.0.0.1") + "\n")));
            File.WriteAllText(files.ResolvConf, ResolvConf.Render(hostResolvConf, options.Dns, options.DnsSearch, options.DnsOptions, privateNamespace: false));
            return;
        }

        File.WriteAllText(files.Hosts, HostsFile.Render(options.ExtraHosts.Select(h => ExtraHosts.ToEntry(h, PredefinedNetworks.BridgeGateway)), [], []));
        File.WriteAllText(files.ResolvConf, ResolvConf.Render(hostResolvConf, options.Dns, options.DnsSearch, options.DnsOptions, privateNamespace: true));
    }

    /// <summary>Kept for callers of the old filter: the host's resolv.conf without loopback resolvers.</summary>
    public static string ForPrivateNetwork(string hostResolvConf) => ResolvConf.Render(hostResolvConf, [], [], [], privateNamespace: true);

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
