using System.Net;
using System.Text;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// `anchor serve`'s exec, container verb, image, network and volume endpoints, driven by the real
/// docker CLI (Debian's docker.io client), and by raw HTTP for what the CLI does not show (the exec
/// instance's inspect document, statuses).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiServerVerbTests(AnchorFixture anchor)
{
    [Fact]
    public void Serve_DockerExec_RelaysBothStreamsStdinAndTheExitCode()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-exec");
        try
        {
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "300");

            var exec = api.Docker("exec", name, "sh", "-c", "echo out; echo err >&2; exit 3");
            Assert.Equal(3, exec.ExitCode);
            Assert.Equal("out", exec.Out);
            Assert.Equal("err", exec.Err);

            var options = api.Docker("exec", "-e", "GREETING=hi", "-w", "/tmp", "-u", "1000:1000", name, "sh", "-c", "echo $GREETING $(pwd) $(id -u):$(id -g)");
            Assert.Equal(0, options.ExitCode);
            Assert.Equal("hi /tmp 1000:1000", options.Out);

            var stdin = api.DockerWithInput("a\nb\nc\n", "exec", "-i", name, "wc", "-l");
            Assert.Equal(0, stdin.ExitCode);
            Assert.Equal("3", stdin.Out.Trim());

            // -d: returns at once; the command still runs in the container.
            Assert.Equal("", api.DockerOk("exec", "-d", name, "sh", "-c", "echo detached > /tmp/mark"));
            var mark = "";
            for (var i = 0; i < 100 && mark != "detached"; i++)
            {
                Thread.Sleep(50);
                mark = api.Docker("exec", name, "cat", "/tmp/mark").Out;
            }

            Assert.Equal("detached", mark);

            // A command that cannot start: docker's OCI error on stdout, exit code 126.
            var missing = api.Docker("exec", name, "/no/such/program");
            Assert.Equal(126, missing.ExitCode);
            Assert.StartsWith("OCI runtime exec failed: exec failed: unable to start container process: ", missing.Out, StringComparison.Ordinal);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task Serve_ExecInstance_CreateStartDetachedAndInspect()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-execraw");
        try
        {
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "300");
            using var create = await api.Http.PostAsync($"/v1.44/containers/{name}/exec", Json("""{"Cmd": ["sh", "-c", "exit 5"], "User": "1000"}"""));
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            using var created = JsonDocument.Parse(await create.Content.ReadAsStringAsync());
            var id = created.RootElement.GetProperty("Id").GetString()!;
            Assert.Equal(64, id.Length);

            using var start = await api.Http.PostAsync($"/v1.44/exec/{id}/start", Json("""{"Detach": true}"""));
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
            JsonElement doc = default;
            for (var i = 0; i < 100; i++)
            {
                using var inspect = await api.Http.GetAsync($"/v1.44/exec/{id}/json");
                Assert.Equal(HttpStatusCode.OK, inspect.StatusCode);
                doc = JsonDocument.Parse(await inspect.Content.ReadAsStringAsync()).RootElement;
                if (!doc.GetProperty("Running").GetBoolean())
                {
                    break;
                }

                await Task.Delay(50);
            }

            Assert.False(doc.GetProperty("Running").GetBoolean());
            Assert.Equal(5, doc.GetProperty("ExitCode").GetInt32());
            Assert.True(doc.GetProperty("Pid").GetInt32() > 0);
            Assert.Equal("sh", doc.GetProperty("ProcessConfig").GetProperty("entrypoint").GetString());
            Assert.Equal("1000", doc.GetProperty("ProcessConfig").GetProperty("user").GetString());
            Assert.Equal(api.DockerOk("inspect", "--format", "{{.Id}}", name), doc.GetProperty("ContainerID").GetString());

            // A second start is a conflict; an unknown instance is docker's 404.
            using var again = await api.Http.PostAsync($"/v1.44/exec/{id}/start", Json("""{"Detach": true}"""));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            using var unknown = await api.Http.GetAsync("/v1.44/exec/nosuchexec/json");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("No such exec instance: nosuchexec", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            api.DockerOk("stop", "-t", "1", name);
            using var stopped = await api.Http.PostAsync($"/v1.44/containers/{name}/exec", Json("""{"Cmd": ["true"]}"""));
            Assert.Equal(HttpStatusCode.Conflict, stopped.StatusCode);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Serve_DockerPauseUnpauseRenameTop()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-verbs");
        var renamed = name + "-new";
        try
        {
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "300");
            var top = api.DockerOk("top", name).Split('\n');
            Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], top[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.EndsWith("sleep 300", Assert.Single(top[1..]), StringComparison.Ordinal);
            Assert.Equal(["PID", "COMMAND"], api.DockerOk("top", name, "-o", "pid,comm").Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));

            Assert.Equal(name, api.DockerOk("pause", name));
            Assert.Equal("paused", api.DockerOk("inspect", "--format", "{{.State.Status}}", name));
            Assert.Equal("paused", anchor.Ok("inspect", "--format", "{{.State.Status}}", name).Out);
            Assert.Equal(name, api.DockerOk("unpause", name));
            Assert.Equal("running", api.DockerOk("inspect", "--format", "{{.State.Status}}", name));

            Assert.Equal("", api.DockerOk("rename", name, renamed));
            Assert.Equal(renamed, api.DockerOk("ps", "--filter", $"name={renamed}", "--format", "{{.Names}}"));
            var gone = api.Docker("pause", name);
            Assert.Equal(1, gone.ExitCode);
            Assert.Equal($"Error response from daemon: No such container: {name}", gone.Err);
        }
        finally
        {
            anchor.ForceRemove(name, renamed);
        }
    }

    [Fact]
    public void Serve_DockerTagAndRmi()
    {
        using var api = new ServedApi(anchor);
        var repo = Detached.UniqueName("api-tag");
        try
        {
            Assert.Equal("", api.DockerOk("tag", "busybox", $"{repo}:v1"));
            Assert.Equal(api.DockerOk("image", "inspect", "--format", "{{.Id}}", "busybox"), api.DockerOk("image", "inspect", "--format", "{{.Id}}", $"{repo}:v1"));
            Assert.Contains($"{repo}:v1", anchor.Ok("images", "--format", "{{.Repository}}:{{.Tag}}").Out.Split('\n'));

            Assert.Equal($"Untagged: {repo}:v1", api.DockerOk("rmi", $"{repo}:v1"));
            Assert.DoesNotContain($"{repo}:v1", anchor.Ok("images", "--format", "{{.Repository}}:{{.Tag}}").Out.Split('\n'));

            var missing = api.Docker("rmi", $"{repo}:v1");
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal($"Error: No such image: {repo}:v1", missing.Err);
            var noSource = api.Docker("tag", "nosuchimage-x", $"{repo}:v2");
            Assert.Equal(1, noSource.ExitCode);
            Assert.Equal("Error response from daemon: No such image: nosuchimage-x:latest", noSource.Err);
        }
        finally
        {
            anchor.Anchor(["rmi", $"{repo}:v1", $"{repo}:v2"]);
        }
    }

    [Fact]
    public void Serve_DockerNetworkCreateInspectRm()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("apinet");
        try
        {
            var id = api.DockerOk("network", "create", "--internal", "--label", "tier=api", "--subnet", "10.231.7.0/24", name);
            Assert.Equal(64, id.Length);
            Assert.Equal($"{name} {id} bridge true api", api.DockerOk("network", "inspect", "--format", "{{.Name}} {{.Id}} {{.Driver}} {{.Internal}} {{index .Labels \"tier\"}}", name));
            Assert.Equal("10.231.7.0/24", api.DockerOk("network", "inspect", "--format", "{{(index .IPAM.Config 0).Subnet}}", name));
            Assert.Equal(name, anchor.Ok("network", "inspect", "--format", "{{.Name}}", id[..12]).Out);

            Assert.Equal(name, api.DockerOk("network", "rm", name));
            var gone = api.Docker("network", "inspect", name);
            Assert.Equal(1, gone.ExitCode);
            Assert.Equal($"Error: No such network: {name}", gone.Err);
        }
        finally
        {
            anchor.Anchor(["network", "rm", name]);
        }
    }

    [Fact]
    public void Serve_DockerVolumeCreateInspectRm()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("apivol");
        try
        {
            Assert.Equal(name, api.DockerOk("volume", "create", "--label", "tier=api", name));
            Assert.Equal($"{name} local api", api.DockerOk("volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{index .Labels \"tier\"}}", name));
            Assert.Equal(name, anchor.Ok("volume", "inspect", "--format", "{{.Name}}", name).Out);
            var anonymous = api.DockerOk("volume", "create");
            Assert.Equal(64, anonymous.Length);

            var plugin = api.Docker("volume", "create", "-d", "nosuchdriver", name + "-p");
            Assert.Equal(1, plugin.ExitCode);
            Assert.Equal($"Error response from daemon: create {name}-p: error looking up volume plugin nosuchdriver: plugin \"nosuchdriver\" not found", plugin.Err);

            Assert.Equal($"{name}\n{anonymous}", api.DockerOk("volume", "rm", name, anonymous));
            var gone = api.Docker("volume", "inspect", name);
            Assert.Equal(1, gone.ExitCode);
            Assert.Equal($"Error: No such volume: {name}", gone.Err);
        }
        finally
        {
            anchor.Anchor(["volume", "rm", name]);
        }
    }

    [Fact]
    public void Serve_DockerEvents_SinceUntilAndFilters()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-events");
        try
        {
            var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c", "exit 2");
            Assert.Equal("2", api.DockerOk("wait", name));
            api.DockerOk("rm", name);
            Thread.Sleep(1100);
            var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

            var actions = api.DockerOk("events", "--since", since, "--until", until, "--filter", $"container={name}", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
            Assert.Equal([$"container create {name}", $"container start {name}", $"container die {name}", $"container destroy {name}"],
                actions.Split('\n').Where(l => !l.Contains(" attach ", StringComparison.Ordinal) && !l.Contains(" wait ", StringComparison.Ordinal)));
            var died = api.DockerOk("events", "--since", since, "--until", until, "--filter", $"container={name}", "--filter", "event=die", "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}");
            Assert.Equal("die 2", died);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Serve_DockerSystemDf_CountsImagesContainersAndVolumes()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-df");
        var volume = Detached.UniqueName("apidfvol");
        try
        {
            api.DockerOk("volume", "create", volume);
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "-v", volume + ":/data", "busybox", "sh", "-c", "head -c 100000 /dev/zero > /data/f; exec sleep 300");
            var rows = api.DockerOk("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}").Split('\n');
            var cli = anchor.Ok("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}").Out.Split('\n');
            Assert.Equal(cli, rows);
            Assert.StartsWith("Images ", rows[0], StringComparison.Ordinal);
            Assert.StartsWith("Containers ", rows[1], StringComparison.Ordinal);

            string volumeLine = "";
            for (var i = 0; i < 100 && !volumeLine.EndsWith("100kB", StringComparison.Ordinal); i++)
            {
                Thread.Sleep(50);
                volumeLine = api.DockerOk("system", "df", "-v").Split('\n').Single(l => l.StartsWith(volume + " ", StringComparison.Ordinal));
            }

            // VOLUME NAME, LINKS, SIZE
            Assert.Equal([volume, "1", "100kB"], volumeLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["volume", "rm", volume]);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
