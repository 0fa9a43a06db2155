using System.Net;

namespace Anchor.Images.Registry;

/// <summary>
/// Where a reference's domain is served: Docker Hub's API lives at registry-1.docker.io and its
/// credentials are keyed "https://index.docker.io/v1/" in config.json (docker/cli
/// registry.IndexServer). Plain HTTP is used only for loopback hosts and registries the user
/// declared insecure, as dockerd's --insecure-registry and its implicit 127.0.0.0/8 rule do.
/// </summary>
public sealed record RegistryEndpoint(string Domain, Uri BaseUri)
{
    public const string DockerHubDomain = "docker.io";
    public const string DockerHubAuthKey = "https://index.docker.io/v1/";

    /// <summary>The key of this registry in config.json's "auths".</summary>
    public string AuthKey => Domain == DockerHubDomain ? DockerHubAuthKey : Domain;

    public bool IsPlainHttp => BaseUri.Scheme == Uri.UriSchemeHttp;

    public static RegistryEndpoint Resolve(string domain, IEnumerable<string>? insecure = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain is DockerHubDomain or "index.docker.io" or "registry-1.docker.io")
        {
            return new RegistryEndpoint(DockerHubDomain, new Uri("https://registry-1.docker.io/"));
        }

        var plain = IsLoopback(domain) || (insecure ?? []).Any(i => string.Equals(Strip(i), domain, StringComparison.OrdinalIgnoreCase));
        return new RegistryEndpoint(domain, new Uri($"{(plain ? "http" : "https")}://{domain}/"));
    }

    /// <summary>"localhost", "localhost:5000", "127.x.y.z[:port]", "[::1][:port]".</summary>
    public static bool IsLoopback(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var host = HostOf(domain);
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>The normalised registry name a user types for login/logout ("https://host/" becomes host; Docker Hub names become docker.io).</summary>
    public static string NormalizeServer(string server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var s = Strip(server);
        return s is "index.docker.io" or "registry-1.docker.io" or "docker.io" ? DockerHubDomain : s;
    }

    private static string Strip(string s)
    {
        s = s.Trim();
        foreach (var prefix in (string[])["https://", "http://"])
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[prefix.Length..];
            }
        }

        var slash = s.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? s[..slash] : s;
    }

    private static string HostOf(string domain)
    {
        if (domain.StartsWith('['))
        {
            var end = domain.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? domain[1..end] : domain;
        }

        var colon = domain.LastIndexOf(':');
        return colon >= 0 ? domain[..colon] : domain;
    }
}
