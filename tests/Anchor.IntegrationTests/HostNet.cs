using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Anchor.IntegrationTests;

/// <summary>The host side of the network tests: free ports, the host's own address, Anchor's links and nft rules.</summary>
public static class HostNet
{
    /// <summary>A TCP port nothing listens on now, from a range the kernel does not hand out as ephemeral ports.</summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var probe = new TcpListener(IPAddress.Any, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    /// <summary>eth0's IPv4 address (the host's own address on its network).</summary>
    public static IPAddress HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.Name == "eth0")
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork);

    /// <summary>Anchor's host-side veths (av…) now.</summary>
    public static List<string> AnchorVeths() =>
        Directory.EnumerateFileSystemEntries("/sys/class/net").Select(p => Path.GetFileName(p)!)
            .Where(n => n.StartsWith("av", StringComparison.Ordinal)).ToList();

    /// <summary><c>nft list table ip anchor</c>, "" when the table does not exist.</summary>
    public static string NftTable()
    {
        var result = ProcessRunner.Run("nft", ["list", "table", "ip", "anchor"]);
        return result.ExitCode == 0 ? result.Stdout : "";
    }

    /// <summary>GET http://ADDRESS:PORT/ (IPv6 in brackets) until it answers (the server may still be starting) or the deadline passes.</summary>
    public static string Get(IPAddress address, int port, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : $"{address}";
                return http.GetStringAsync(new Uri($"http://{host}:{port}/")).GetAwaiter().GetResult();
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }
}
