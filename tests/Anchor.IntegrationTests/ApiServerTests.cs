using System.Net;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// `anchor serve`: the Docker Engine API on a unix socket, driven by the real docker CLI (Debian's
/// docker.io client) and by raw HTTP where the CLI hides what is checked (status codes, headers,
/// the socket file). The server shares the fixture's store with the CLI, so each sees the other's
/// containers.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiServerTests(AnchorFixture anchor)
{
    [Fact]
    public void Serve_DockerVersionAndInfo_ShowTheServedApi()
    {
        using var api = new ServedApi(anchor);
        Assert.Equal("1.44", api.DockerOk("version", "--format", "{{.Server.APIVersion}}"));
        Assert.Equal("1.24", api.DockerOk("version", "--format", "{{.Server.MinAPIVersion}}"));
        Assert.Equal(anchor.Root, api.DockerOk("info", "--format", "{{.DockerRootDir}}"));
        Assert.Contains("busybox:latest", api.DockerOk("images", "--format", "{{.Repository}}:{{.Tag}}").Split('\n'));
        Assert.Equal("[]", api.DockerOk("image", "inspect", "--format", "{{json .RepoDigests}}", "busybox"));
        Assert.Contains("none", api.DockerOk("network", "ls", "--format", "{{.Name}}").Split('\n'));
        Assert.Equal(0, api.Docker("volume", "ls").ExitCode);
    }

    [Fact]
    public void Serve_DockerCliLifecycle_CreateStartLogsStopRm()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api");
        try
        {
            var id = api.DockerOk("create", "--name", name, "--network", "none", "-e", "GREETING=hello", "--label", "tier=api",
                "busybox", "sh", "-c", "echo out $GREETING; echo err >&2; exec sleep 60");
            Assert.Equal(64, id.Length);
            Assert.Equal("Created", api.DockerOk("ps", "-a", "--filter", $"name={name}", "--format", "{{.Status}}"));
            Assert.Equal("api", api.DockerOk("inspect", "--format", "{{index .Config.Labels \"tier\"}}", name));

            Assert.Equal(name, api.DockerOk("start", name));
            Assert.Equal(name, api.DockerOk("ps", "--filter", "label=tier=api", "--format", "{{.Names}}"));
            // The CLI's own `ps` over the same store sees the container the API made, running.
            Assert.Contains(name, anchor.Ok("ps", "--format", "{{.Names}} {{.State}}").Out.Split('\n').Where(l => l.EndsWith(" running", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]));
            Assert.Equal("true", api.DockerOk("inspect", "--format", "{{.State.Running}}", name));

            // logs: stdout and stderr demultiplexed by the docker CLI from the 8-byte frames.
            var logs = WaitForLogs(api, name);
            Assert.Equal("out hello", logs.Out);
            Assert.Equal("err", logs.Err);

            Assert.Equal(name, api.DockerOk("stop", "-t", "1", name));
            Assert.StartsWith("Exited (", api.DockerOk("ps", "-a", "--filter", $"name={name}", "--format", "{{.Status}}"), StringComparison.Ordinal);
            Assert.Equal(name, api.DockerOk("rm", name));
            Assert.Equal("", api.DockerOk("ps", "-a", "--filter", $"name={name}", "--format", "{{.Names}}"));
            Assert.DoesNotContain(name, anchor.Ok("ps", "-a", "--format", "{{.Names}}").Out.Split('\n'));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Serve_RunDetachedWaitAndKill_GiveTheContainersExitCodes()
    {
        using var api = new ServedApi(anchor);
        var quick = Detached.UniqueName("api-wait");
        var slow = Detached.UniqueName("api-kill");
        try
        {
            api.DockerOk("run", "-d", "--name", quick, "--network", "none", "busybox", "sh", "-c", "exit 3");
            Assert.Equal("3", api.DockerOk("wait", quick));
            api.DockerOk("run", "-d", "--name", slow, "--network", "none", "busybox", "sleep", "60");
            Assert.Equal(slow, api.DockerOk("kill", slow));
            Assert.Equal("137", api.DockerOk("wait", slow));
            Assert.Equal($"{slow}\n{quick}", api.DockerOk("rm", "-f", slow, quick));
        }
        finally
        {
            anchor.ForceRemove(quick, slow);
        }
    }

    [Fact]
    public void Serve_DockerRunAttached_RelaysOutputStdinAndTheExitCode()
    {
        using var api = new ServedApi(anchor);
        // docker run = create, attach (HTTP upgrade), wait, start; --rm waits for the removal.
        var run = api.Docker("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 4");
        Assert.Equal(4, run.ExitCode);
        Assert.Equal("out", run.Out);
        Assert.Equal("err", run.Err);

        var stdin = api.DockerWithInput("a\nb\nc\n", "run", "-i", "--rm", "--network", "none", "busybox", "wc", "-l");
        Assert.Equal(0, stdin.ExitCode);
        Assert.Equal("3", stdin.Out.Trim());
    }

    [Fact]
    public void Serve_ContainerOfAnchorRunDetached_ShowsInDockerPs()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("cli-made");
        try
        {
            anchor.Ok("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "60");
            Assert.Contains(name, api.DockerOk("ps", "--format", "{{.Names}}").Split('\n'));
            Assert.StartsWith("Up ", api.DockerOk("ps", "--filter", $"name={name}", "--format", "{{.Status}}"), StringComparison.Ordinal);
            Assert.Equal("sleep 60", api.DockerOk("ps", "--filter", $"name={name}", "--format", "{{.Command}}").Trim('"'));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task Serve_RawHttp_DockersStatusesHeadersAndErrors()
    {
        using var api = new ServedApi(anchor);
        using var ping = await api.Http.GetAsync("/_ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("OK", await ping.Content.ReadAsStringAsync());
        Assert.Equal("1.44", Assert.Single(ping.Headers.GetValues("Api-Version")));
        Assert.StartsWith("Anchor/", ping.Headers.Server.ToString(), StringComparison.Ordinal);

        using var head = await api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1.24/_ping"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);

        await AssertError(api, "/v1.41/no/such/path", HttpStatusCode.NotFound, "page not found");
        await AssertError(api, "/containers/nosuchcontainer/json", HttpStatusCode.NotFound, "No such container: nosuchcontainer");
        await AssertError(api, "/v1.45/_ping", HttpStatusCode.BadRequest, "client version 1.45 is too new. Maximum supported API version is 1.44");
        await AssertError(api, "/v1.23/_ping", HttpStatusCode.BadRequest,
            "client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");

        using var create = await api.Http.PostAsync("/v1.44/containers/create", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);

        using var version = await api.Http.GetAsync("/v1.41/version");
        using var doc = JsonDocument.Parse(await version.Content.ReadAsStringAsync());
        Assert.Equal("1.44", doc.RootElement.GetProperty("ApiVersion").GetString());
    }

    [Fact]
    public void Serve_Socket_IsMode0660AtomicRefusedWhenTakenAndGoneAfterStop()
    {
        var api = new ServedApi(anchor);
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(api.Socket));
            // No temporary name is left beside the socket.
            Assert.Empty(Directory.GetFiles(anchor.TempDir, $".{Path.GetFileName(api.Socket)}.*"));

            // A second server on a socket that answers is refused, and the first keeps serving.
            var second = anchor.Anchor(["serve", "-H", "unix://" + api.Socket], timeout: TimeSpan.FromSeconds(20));
            Assert.Equal(125, second.ExitCode);
            Assert.Equal($"cannot listen on {api.Socket}: another server is already listening on it", second.Err);
            Assert.Equal("1.44", api.DockerOk("version", "--format", "{{.Server.APIVersion}}"));

            Assert.Equal(0, api.Stop());
            Assert.False(File.Exists(api.Socket), "the socket outlived the server");
        }
        finally
        {
            api.Dispose();
        }
    }

    /// <summary>
    /// -H tcp://: only when asked for, beside the socket, with dockerd's warning that it is
    /// unauthenticated (root on this machine for whoever reaches the port).
    /// </summary>
    [Fact]
    public void Serve_TcpHostAskedFor_ServesTheApi_WithDockersWarning()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var api = new ServedApi(anchor, "-H", $"tcp://127.0.0.1:{port}");
        ProcessResult version = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            version = ProcessRunner.Run(ServedApi.DockerCli, ["-H", $"tcp://127.0.0.1:{port}", "version", "--format", "{{.Server.APIVersion}}"],
                (string?)null, TimeSpan.FromSeconds(30), new Dictionary<string, string?> { ["DOCKER_HOST"] = null, ["DOCKER_CONFIG"] = anchor.TempDir });
            if (version.ExitCode == 0)
            {
                break;
            }

            Thread.Sleep(100); // the socket file exists before Kestrel has bound every endpoint
        }

        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal("1.44", version.Out);
        Assert.Equal("1.44", api.DockerOk("version", "--format", "{{.Server.APIVersion}}"));
        Assert.Equal(0, api.Stop());
        Assert.Contains($"WARNING: Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network. host=\"tcp://127.0.0.1:{port}\"", api.Server.StandardError.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_StaleSocketFile_IsReplaced()
    {
        // A socket file nobody listens on, as a SIGKILLed server leaves it.
        string stale;
        using (var killed = new ServedApi(anchor))
        {
            stale = killed.Socket;
            killed.Server.Kill();
            killed.Server.WaitForExit();
        }

        Assert.True(File.Exists(stale));
        using var server = ProcessRunner.Start(anchor.Bin, [.. anchor.StoreArgs, "serve", "-H", "unix://" + stale]);
        try
        {
            var ok = false;
            for (var i = 0; i < 200 && !ok; i++)
            {
                Thread.Sleep(50);
                ok = ProcessRunner.Run(ServedApi.DockerCli, ["-H", "unix://" + stale, "version", "--format", "{{.Server.APIVersion}}"]).Out == "1.44";
            }

            Assert.True(ok, "the server did not replace the stale socket");
        }
        finally
        {
            ProcessRunner.Signal(server.Id, "TERM");
            server.WaitForExit(20_000);
        }

        Assert.False(File.Exists(stale));
    }

    private static ProcessResult WaitForLogs(ServedApi api, string name)
    {
        for (var i = 0; ; i++)
        {
            var logs = api.Docker("logs", name);
            if ((logs.Out.Length > 0 && logs.Err.Length > 0) || i == 100)
            {
                return logs;
            }

            Thread.Sleep(50);
        }
    }

    private static async Task AssertError(ServedApi api, string path, HttpStatusCode status, string message)
    {
        using var response = await api.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, doc.RootElement.GetProperty("message").GetString());
    }
}
