namespace Anchor.IntegrationTests;

/// <summary>
/// Issue 13, the image side of `anchor serve`: the real docker CLI (Debian's 20.10 client) builds,
/// pulls, pushes, logs in, saves, loads, prunes, commits and reads history through the API, and
/// Debian's python3-docker builds and pulls; each result is checked in `anchor images` of the same
/// store. Every test works on images named after itself (a unique suffix), removed at the end.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiImageTests(AnchorFixture anchor) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-apiimg-").FullName;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Serve_DockerBuild_StepLogTagAndHistory_FailingRunExitsWithItsCode()
    {
        using var api = new ServedApi(anchor);
        var tag = $"apibuild-{_suffix}:v1";
        var context = Context("ok", "FROM busybox\nRUN echo hello-from-run > /built\nCMD [\"cat\", \"/built\"]\n");
        try
        {
            var build = api.Docker("build", "-t", tag, "--label", "made=api", context);
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("Step 1/4 : FROM busybox", build.Out, StringComparison.Ordinal);
            Assert.Contains("Step 2/4 : RUN echo hello-from-run > /built", build.Out, StringComparison.Ordinal);
            // --label is one more LABEL step at the end, as docker's classic builder adds it.
            Assert.Contains("Step 4/4 : LABEL made=api", build.Out, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^Successfully built [0-9a-f]{12}$", build.Out);
            Assert.Contains($"Successfully tagged {tag}", build.Out, StringComparison.Ordinal);
            Assert.Equal(tag, anchor.Anchor(["images", "--format", "{{.Repository}}:{{.Tag}}", tag]).Out);
            Assert.Equal("hello-from-run", anchor.Anchor(["run", "--rm", "--network", "none", tag]).Out);
            Assert.Equal("api", api.DockerOk("image", "inspect", "-f", "{{index .Config.Labels \"made\"}}", tag));

            // -q: only the image ID; the history lists the steps as docker's classic builder records them.
            var quiet = api.Docker("build", "-q", Context("quiet", "FROM busybox\nRUN echo quiet-output\n"));
            Assert.Matches(@"^sha256:[0-9a-f]{64}$", quiet.Out);
            anchor.Anchor(["rmi", quiet.Out]);
            var history = api.DockerOk("history", "--no-trunc", "--format", "{{.CreatedBy}}", tag);
            Assert.Equal(["/bin/sh -c #(nop)  LABEL made=api", "/bin/sh -c #(nop)  CMD [\"cat\",\"/built\"]", "/bin/sh -c echo hello-from-run > /built"], history.Split('\n')[..3]);

            var failing = api.Docker("build", "-t", $"apibuild-{_suffix}:bad", Context("bad", "FROM busybox\nRUN echo before-failure; exit 3\n"));
            Assert.Equal(3, failing.ExitCode);
            Assert.Contains("before-failure", failing.Out, StringComparison.Ordinal);
            Assert.Equal("The command '/bin/sh -c echo before-failure; exit 3' returned a non-zero code: 3", failing.Err);
            Assert.Equal("", anchor.Anchor(["images", "-q", $"apibuild-{_suffix}:bad"]).Out);

            var missing = api.Docker("history", $"apibuild-{_suffix}:none");
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal($"Error response from daemon: No such image: apibuild-{_suffix}:none", missing.Err);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public async Task Serve_DockerLoginPushPull_AgainstAnHtpasswdRegistry()
    {
        using var registry = new RegistryServer("apiuser", "apipass");
        using var api = new ServedApi(anchor);
        var reference = $"{registry.Host}/api/app:{_suffix}";
        try
        {
            api.DockerOk("tag", "busybox", reference);
            var anonymous = api.Docker("push", reference);
            Assert.Equal(1, anonymous.ExitCode);
            Assert.Contains("authentication required", anonymous.Err, StringComparison.Ordinal);

            var wrong = api.Docker("login", "-u", "apiuser", "-p", "nope", registry.Host);
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("Error response from daemon: ", wrong.Err, StringComparison.Ordinal);
            Assert.Contains("unauthorized", wrong.Err, StringComparison.Ordinal);

            var login = api.DockerWithInput("apipass\n", "login", "-u", "apiuser", "--password-stdin", registry.Host);
            Assert.True(login.ExitCode == 0, login.ToString());
            Assert.Equal("Login Succeeded", login.Out);

            // The client now sends the credentials in X-Registry-Auth.
            var push = api.Docker("push", reference);
            Assert.True(push.ExitCode == 0, push.ToString());
            Assert.Contains($"The push refers to repository [{registry.Host}/api/app]", push.Out, StringComparison.Ordinal);
            Assert.Matches($@"(?m)^{_suffix}: digest: sha256:[0-9a-f]{{64}} size: \d+$", push.Out);

            api.DockerOk("rmi", reference);
            Assert.Equal("", anchor.Anchor(["images", "-q", reference]).Out);
            var pull = api.Docker("pull", reference);
            Assert.True(pull.ExitCode == 0, pull.ToString());
            Assert.Contains($"{_suffix}: Pulling from api/app", pull.Out, StringComparison.Ordinal);
            Assert.Contains($"Status: Downloaded newer image for {reference}", pull.Out, StringComparison.Ordinal);
            Assert.EndsWith(reference, pull.Out, StringComparison.Ordinal);
            Assert.Equal(reference, anchor.Anchor(["images", "--format", "{{.Repository}}:{{.Tag}}", reference]).Out);

            var unknown = api.Docker("pull", $"{registry.Host}/api/none:1");
            Assert.Equal(1, unknown.ExitCode);
            Assert.StartsWith("Error response from daemon: ", unknown.Err, StringComparison.Ordinal);
            Assert.Contains("manifest unknown", unknown.Err, StringComparison.Ordinal);

            // The statuses behind those errors, as moby gives them: a pull refused (no X-Registry-Auth here) is 404, a refused login 401.
            using var missing = await api.Http.PostAsync(new Uri($"/v1.44/images/create?fromImage={registry.Host}/api/none&tag=1", UriKind.Relative), null);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains($"pull access denied for {registry.Host}/api/none", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var refused = await api.Http.PostAsync(new Uri("/v1.44/auth", UriKind.Relative), new StringContent($$"""{"username": "apiuser", "password": "x", "serveraddress": "{{registry.Host}}"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", reference]);
        }
    }

    [Fact]
    public async Task Serve_ImageEndpoints_AnswerDockersStatusesAndShapes()
    {
        using var api = new ServedApi(anchor);
        using var history = await api.Http.GetAsync(new Uri("/v1.44/images/busybox/history", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, history.StatusCode);
        using (var rows = System.Text.Json.JsonDocument.Parse(await history.Content.ReadAsStringAsync()))
        {
            var top = rows.RootElement[0];
            Assert.Equal(anchor.Anchor(["images", "-q", "--no-trunc", "busybox"]).Out, top.GetProperty("Id").GetString());
            Assert.Equal("busybox:latest", top.GetProperty("Tags")[0].GetString());
        }

        using var none = await api.Http.GetAsync(new Uri($"/v1.44/images/none-{_suffix}/history", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal($"{{\"message\":\"No such image: none-{_suffix}:latest\"}}", (await none.Content.ReadAsStringAsync()).Trim());

        using var inspect = await api.Http.GetAsync(new Uri($"/v1.44/images/none-{_suffix}/json", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, inspect.StatusCode);
        var cliInspect = api.Docker("image", "inspect", $"none-{_suffix}");
        Assert.Equal(1, cliInspect.ExitCode);
        Assert.Equal($"Error: No such image: none-{_suffix}", cliInspect.Err);

        using var search = await api.Http.GetAsync(new Uri("/v1.44/images/search?term=busybox", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotImplemented, search.StatusCode);

        // A Dockerfile the parser refuses fails before any step: an error status, not a stream.
        using var tar = new TarBuilder().File("Dockerfile", "FROB busybox\n");
        using var body = new ByteArrayContent(tar.ToArray());
        using var build = await api.Http.PostAsync(new Uri("/v1.44/build", UriKind.Relative), body);
        Assert.NotEqual(System.Net.HttpStatusCode.OK, build.StatusCode);
        Assert.Contains("FROB", await build.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var commit = await api.Http.PostAsync(new Uri($"/v1.44/commit?container=none-{_suffix}", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, commit.StatusCode);
    }

    /// <summary>A client that goes away mid-build ends the build at the next output: no image, no step container, no step process.</summary>
    [Fact]
    public async Task Serve_Build_ClientGone_StopsTheBuild()
    {
        using var api = new ServedApi(anchor);
        var before = anchor.Anchor(["ps", "-aq", "--no-trunc"]).Out;
        var marker = $"cancel-{_suffix}";
        using var tar = new TarBuilder().File("Dockerfile", $"FROM busybox\nRUN echo start; sleep 1; echo mid; sh -c 'sleep 6' {marker}; echo end\nRUN echo second\n");
        var context = tar.ToArray();
        // A raw connection, closed as soon as the step has started (HttpClient would drain the rest first).
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(api.Socket));
            var head = $"POST /v1.44/build?nocache=1&labels=%7B%22apicancel%22%3A%22{_suffix}%22%7D HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\nContent-Length: {context.Length}\r\n\r\n";
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(head).Concat(context).ToArray());
            var seen = new System.Text.StringBuilder();
            var buffer = new byte[4096];
            while (!seen.ToString().Contains("start\\n", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer);
                Assert.True(n > 0, seen.ToString());
                seen.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
            }

            Assert.StartsWith("HTTP/1.1 200 OK", seen.ToString(), StringComparison.Ordinal);
        }

        // The "mid" output a second later finds the client gone; the step's "sh -c 'sleep 6' MARKER" must not be left running.
        Thread.Sleep(3000);
        Assert.DoesNotContain(marker, ProcessRunner.Run("ps", ["-eo", "args"]).Out, StringComparison.Ordinal);
        Assert.Equal(before, anchor.Anchor(["ps", "-aq", "--no-trunc"]).Out);
        Thread.Sleep(5000);
        Assert.Equal("", anchor.Anchor(["images", "-q", "--filter", $"label=apicancel={_suffix}"]).Out);
    }

    [Fact]
    public void Serve_DockerSavePipedToLoad_RestoresTheImage()
    {
        using var api = new ServedApi(anchor);
        var tag = $"apisave-{_suffix}:1";
        try
        {
            api.DockerOk("tag", "busybox", tag);
            var id = anchor.Anchor(["images", "-q", "--no-trunc", tag]).Out;
            var config = Path.Combine(_dir, "docker-config");
            Directory.CreateDirectory(config);
            var docker = $"{ServedApi.DockerCli} -H unix://{api.Socket}";
            var archive = Path.Combine(_dir, "saved.tar");
            var save = ProcessRunner.Run("/bin/sh", ["-c", $"{docker} save {tag} > {archive}"], (string?)null, TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config });
            Assert.True(save.ExitCode == 0, save.ToString());
            using (var manifest = System.Text.Json.JsonDocument.Parse(ManifestOf(archive)))
            {
                Assert.Equal(tag, manifest.RootElement[0].GetProperty("RepoTags")[0].GetString());
            }

            api.DockerOk("rmi", tag);
            Assert.Equal("", anchor.Anchor(["images", "-q", tag]).Out);
            var piped = ProcessRunner.Run("/bin/sh", ["-c", $"{docker} save busybox | {docker} load && {docker} load < {archive}"], (string?)null, TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config });
            Assert.True(piped.ExitCode == 0, piped.ToString());
            Assert.Equal($"Loaded image: busybox:latest\nLoaded image: {tag}", piped.Out);
            Assert.Equal(id, anchor.Anchor(["images", "-q", "--no-trunc", tag]).Out);

            var missing = api.Docker("save", "-o", Path.Combine(_dir, "none.tar"), $"apisave-{_suffix}:none");
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal("Error response from daemon: reference does not exist", missing.Err);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void Serve_DockerImagePrune_RemovesTheDanglingImageOnly()
    {
        using var api = new ServedApi(anchor);
        var tag = $"apiprune-{_suffix}:1";
        try
        {
            api.DockerOk("build", "-q", "-t", tag, Context("one", $"FROM busybox\nRUN echo one-{_suffix} > /v\n"));
            var old = anchor.Anchor(["images", "-q", "--no-trunc", tag]).Out;
            api.DockerOk("build", "-q", "-t", tag, Context("two", $"FROM busybox\nRUN echo two-{_suffix} > /v\n"));
            var current = anchor.Anchor(["images", "-q", "--no-trunc", tag]).Out;
            Assert.NotEqual(old, current);
            Assert.Contains(old, anchor.Anchor(["images", "-q", "--no-trunc", "--filter", "dangling=true"]).Out, StringComparison.Ordinal);

            var prune = api.Docker("image", "prune", "-f");
            Assert.True(prune.ExitCode == 0, prune.ToString());
            Assert.StartsWith("Deleted Images:\n", prune.Out, StringComparison.Ordinal);
            Assert.Contains($"deleted: {old}", prune.Out, StringComparison.Ordinal);
            Assert.Matches(@"Total reclaimed space: [0-9.]+[kM]?B$", prune.Out);
            Assert.DoesNotContain(old, anchor.Anchor(["images", "-a", "-q", "--no-trunc"]).Out, StringComparison.Ordinal);
            Assert.Equal(current, anchor.Anchor(["images", "-q", "--no-trunc", tag]).Out);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void Serve_DockerCommit_MakesAnImageOfTheContainersChanges()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-commit");
        var tag = $"apicommit-{_suffix}:v2";
        try
        {
            api.DockerOk("run", "--name", name, "--network", "none", "busybox", "sh", "-c", "echo committed-data > /data");
            var id = api.DockerOk("commit", "-c", "CMD [\"cat\", \"/data\"]", "-c", "ENV FROM_COMMIT=yes", "-m", "api message", "-a", "Api Author", name, tag);
            Assert.Matches(@"^sha256:[0-9a-f]{64}$", id);
            Assert.Equal(id, anchor.Anchor(["images", "-q", "--no-trunc", tag]).Out);
            Assert.Equal("committed-data", anchor.Anchor(["run", "--rm", "--network", "none", tag]).Out);
            Assert.Equal("yes", anchor.Anchor(["run", "--rm", "--network", "none", tag, "sh", "-c", "echo $FROM_COMMIT"]).Out);
            Assert.Equal("api message|Api Author", api.DockerOk("image", "inspect", "-f", "{{.Comment}}|{{.Author}}", tag));

            var history = api.DockerOk("history", "--format", "{{.CreatedBy}}|{{.Comment}}", tag).Split('\n');
            Assert.Equal("sh -c echo committed-data > /data|api message", history[0]);

            var missing = api.Docker("commit", "api-commit-none-" + _suffix);
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal($"Error response from daemon: No such container: api-commit-none-{_suffix}", missing.Err);
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    private const string PythonScript = """
        import docker, io, sys
        c = docker.DockerClient(base_url="unix://" + sys.argv[1], timeout=60)
        img, logs = c.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN echo py-step-output\nLABEL via=python\n"), tag=sys.argv[2], rm=True)
        print("built", img.tags, img.labels["via"])
        print("step", any("py-step-output" in (l.get("stream") or "") for l in logs))
        try:
            c.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN exit 4\n"))
        except docker.errors.BuildError as e:
            print("error", e.msg)
        pulled = c.images.pull(sys.argv[3], tag=sys.argv[4], auth_config={"username": "pyuser", "password": "pypass"})
        print("pulled", sys.argv[3] + ":" + sys.argv[4] in pulled.tags)
        """;

    [Fact]
    public void Serve_PythonSdk_BuildFromFileobjAndPullWithAuth()
    {
        using var registry = new RegistryServer("pyuser", "pypass");
        var repository = $"{registry.Host}/py/app";
        var tag = $"apipy-{_suffix}:1";
        try
        {
            // The registry gets the image through anchor's own push (its credentials from ANCHOR_CONFIG).
            anchor.Anchor(["tag", "busybox", $"{repository}:{_suffix}"]);
            var config = Path.Combine(_dir, "anchor-config");
            Directory.CreateDirectory(config);
            File.WriteAllText(Path.Combine(config, "config.json"), $"{{\"auths\": {{\"{registry.Host}\": {{\"auth\": \"{Convert.ToBase64String("pyuser:pypass"u8)}\"}}}}}}");
            var push = ProcessRunner.Run(anchor.Bin, [.. anchor.StoreArgs, "push", $"{repository}:{_suffix}"], (string?)null, TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["ANCHOR_CONFIG"] = config });
            Assert.True(push.ExitCode == 0, push.ToString());
            anchor.Anchor(["rmi", $"{repository}:{_suffix}"]);

            using var api = new ServedApi(anchor);
            var result = ProcessRunner.Run("/usr/bin/python3", ["-c", PythonScript, api.Socket, tag, repository, _suffix], (string?)null, TimeSpan.FromSeconds(120));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(
                [
                    $"built ['{tag}'] python",
                    "step True",
                    "error The command '/bin/sh -c exit 4' returned a non-zero code: 4",
                    "pulled True",
                ],
                result.Out.Split('\n'));
            Assert.Equal(tag, anchor.Anchor(["images", "--format", "{{.Repository}}:{{.Tag}}", tag]).Out);
            Assert.Equal($"{repository}:{_suffix}", anchor.Anchor(["images", "--format", "{{.Repository}}:{{.Tag}}", $"{repository}:{_suffix}"]).Out);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag, $"{repository}:{_suffix}"]);
        }
    }

    /// <summary>A build context directory holding only a Dockerfile.</summary>
    private string Context(string name, string dockerfile)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        return dir;
    }

    /// <summary>manifest.json of a docker-archive.</summary>
    private static string ManifestOf(string archive)
    {
        using var reader = new System.Formats.Tar.TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == "manifest.json" && entry.DataStream is { } data)
            {
                return new StreamReader(data).ReadToEnd();
            }
        }

        return "";
    }
}
