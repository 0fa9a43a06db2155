using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Anchor.IntegrationTests;

/// <summary>
/// Debian's docker-registry (the reference registry, /usr/bin/docker-registry) on 127.0.0.1 and a
/// free port, with its own config and storage in a temporary directory; optionally with htpasswd
/// basic auth or token auth against a <see cref="TokenServer"/>. Dispose kills it and deletes the directory.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;

    public RegistryServer(string? htpasswdUser = null, string? htpasswdPassword = null, TokenServer? tokens = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install the docker-registry package (install.sh does)");
        }

        Dir = Path.Combine(Path.GetTempPath(), "anchor-reg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Dir);
        Port = FreePort();
        var auth = "";
        if (htpasswdUser is not null)
        {
            var htpasswd = ProcessRunner.Run("htpasswd", ["-Bbn", htpasswdUser, htpasswdPassword ?? ""]);
            Assert.True(htpasswd.ExitCode == 0, $"htpasswd failed: {htpasswd}");
            File.WriteAllText(Path.Combine(Dir, "htpasswd"), htpasswd.Stdout);
            auth = $"auth:\n  htpasswd:\n    realm: anchor-test\n    path: {Dir}/htpasswd\n";
        }
        else if (tokens is not null)
        {
            File.WriteAllText(Path.Combine(Dir, "root.pem"), tokens.CertificatePem);
            auth = $"auth:\n  token:\n    realm: {tokens.Realm}\n    service: {TokenServer.Service}\n    issuer: {TokenServer.Issuer}\n    rootcertbundle: {Dir}/root.pem\n";
        }

        var config = Path.Combine(Dir, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Dir}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
            {auth}
            """);
        _process = ProcessRunner.Start(Binary, ["serve", config]);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitReady();
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary>127.0.0.1:PORT, the domain of references to this registry.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The data file of a blob in the registry's filesystem storage driver.</summary>
    public string BlobFile(string hex) => Path.Combine(Dir, "data", "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}");
            }

            try
            {
                using var response = http.GetAsync(new Uri($"http://{Host}/v2/")).GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(100);
            }
        }

        Dispose();
        throw new InvalidOperationException("docker-registry did not start within 15 s");
    }
}
