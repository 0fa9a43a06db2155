namespace Anchor.IntegrationTests;

/// <summary>
/// Issue 13's third real client: Debian's docker-compose 1.29 (installed by install.sh) against
/// `anchor serve`: a project of two services on a user network, with a published port, a health
/// check that the other service's depends_on waits for, and a named volume, goes up, lists, logs,
/// execs and goes down with its network and volume.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiComposeTests(AnchorFixture anchor)
{
    /// <summary>Two services on a user network: web publishes a port and has a health check; worker waits for it healthy and reaches it by name.</summary>
    private static string ComposeFile(int port) => $$"""
        version: "3.8"
        services:
          web:
            image: busybox
            command: ["sh", "-c", "mkdir -p /www; echo hello > /www/index.html; echo web-up; httpd -f -p 80 -h /www"]
            ports: ["127.0.0.1:{{port}}:80"]
            healthcheck:
              test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1/index.html"]
              interval: 1s
              retries: 10
            volumes:
              - data:/data
            networks: [front]
          worker:
            image: busybox
            command: ["sh", "-c", "echo worker-up; wget -q -O- http://web/index.html; sleep 300"]
            depends_on:
              web:
                condition: service_healthy
            networks: [front]
        volumes:
          data: {}
        networks:
          front: {}
        """;

    [Fact]
    public void Compose_UpPsLogsExecDown()
    {
        using var api = new ServedApi(anchor);
        var project = "cp" + Guid.NewGuid().ToString("N")[..8];
        var dir = Path.Combine(anchor.TempDir, project);
        Directory.CreateDirectory(dir);
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        File.WriteAllText(Path.Combine(dir, "docker-compose.yml"), ComposeFile(port));
        ProcessResult Compose(params string[] args)
        {
            var result = ProcessRunner.Run("/usr/bin/docker-compose", ["--project-directory", dir, "-f", Path.Combine(dir, "docker-compose.yml"), "-p", project, .. args],
                (string?)null, TimeSpan.FromSeconds(120), new Dictionary<string, string?> { ["DOCKER_HOST"] = "unix://" + api.Socket, ["COMPOSE_INTERACTIVE_NO_CLI"] = "1" });
            Assert.True(result.ExitCode == 0, $"docker-compose {string.Join(' ', args)}: {result}");
            return result;
        }

        try
        {
            Compose("up", "-d");
            var names = anchor.Anchor(["ps", "--format", "{{.Names}}", "--filter", $"label=com.docker.compose.project={project}"]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToList();
            Assert.Equal([$"{project}_web_1", $"{project}_worker_1"], names);
            var ps = Compose("ps").Out;
            Assert.Contains($"{project}_web_1", ps, StringComparison.Ordinal);
            Assert.Contains($"{project}_worker_1", ps, StringComparison.Ordinal);
            Assert.Equal(2, ps.Split('\n').Count(l => l.Contains(" Up", StringComparison.Ordinal)));
            Assert.Contains("Up (healthy)", ps, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{port}->80/tcp", ps, StringComparison.Ordinal);
            Assert.Equal("hello", ProcessRunner.Run("busybox", ["wget", "-q", "-O-", $"http://127.0.0.1:{port}/index.html"], (string?)null, TimeSpan.FromSeconds(20)).Out);

            string logs = "";
            for (var i = 0; i < 50 && !(logs.Contains("web-up", StringComparison.Ordinal) && logs.Contains("worker_1  | hello", StringComparison.Ordinal)); i++)
            {
                Thread.Sleep(100);
                logs = Compose("logs", "--no-color").Out;
            }

            Assert.Contains("web-up", logs, StringComparison.Ordinal);
            Assert.Contains("worker-up", logs, StringComparison.Ordinal);
            Assert.Contains("worker_1  | hello", logs, StringComparison.Ordinal); // web reached by name on the user network, once healthy
            Assert.Equal("exec-ok", Compose("exec", "-T", "web", "sh", "-c", "echo exec-ok").Out);
            Assert.Contains($"{project}_data", anchor.Anchor(["volume", "ls", "--format", "{{.Name}}"]).Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Compose("down", "-v");
        }

        Assert.DoesNotContain(project, anchor.Anchor(["ps", "-a", "--format", "{{.Names}}"]).Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(project, anchor.Anchor(["volume", "ls", "--format", "{{.Name}}"]).Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(project, anchor.Anchor(["network", "ls", "--format", "{{.Name}}"]).Stdout, StringComparison.Ordinal);
    }
}
