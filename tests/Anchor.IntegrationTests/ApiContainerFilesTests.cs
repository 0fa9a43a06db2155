using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// `anchor serve`'s archive, export, changes, stats, update, resize and prune endpoints, driven by
/// the real docker CLI (Debian's docker.io client), and by raw HTTP for the stat header and the
/// reports the CLI does not show.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiContainerFilesTests(AnchorFixture anchor)
{
    [Fact]
    public void Serve_DockerCp_CopiesBothWaysFollowsLinksAndReportsMissingPaths()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-cp");
        var local = Path.Combine(anchor.TempDir, name);
        Directory.CreateDirectory(local);
        try
        {
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c",
                "mkdir /tmp/d && echo inner > /tmp/d/y && ln -s /tmp/d /tmp/ln && echo ready > /tmp/f && sleep 300");
            Detached.Eventually(() => api.Docker("exec", name, "cat", "/tmp/f").Out == "ready", TimeSpan.FromSeconds(10), () => "the container set up /tmp");

            // Into the container: a file owned by a local user arrives as root's (docker cp without -a).
            var upload = Path.Combine(local, "in.txt");
            File.WriteAllText(upload, "from-host\n");
            File.SetUnixFileMode(upload, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            ProcessRunner.Run("chown", ["1234:1234", upload]);
            api.DockerOk("cp", upload, name + ":/tmp/");
            Assert.Equal("from-host 0:0 -rwx------", api.DockerOk("exec", name, "sh", "-c", "echo $(cat /tmp/in.txt) $(stat -c %u:%g /tmp/in.txt) $(stat -c %A /tmp/in.txt)"));

            // Out of it: a file renamed on the way, a directory with its contents, and -L through a symlink.
            api.DockerOk("cp", name + ":/tmp/f", Path.Combine(local, "f.out"));
            Assert.Equal("ready\n", File.ReadAllText(Path.Combine(local, "f.out")));
            api.DockerOk("cp", name + ":/tmp/d", Path.Combine(local, "dir"));
            Assert.Equal("inner\n", File.ReadAllText(Path.Combine(local, "dir", "y")));
            api.DockerOk("cp", "-L", name + ":/tmp/ln", Path.Combine(local, "followed"));
            Assert.True(Directory.Exists(Path.Combine(local, "followed")) && new FileInfo(Path.Combine(local, "followed")).LinkTarget is null);
            Assert.Equal("inner\n", File.ReadAllText(Path.Combine(local, "followed", "y")));
            api.DockerOk("cp", name + ":/tmp/ln", Path.Combine(local, "link"));
            Assert.Equal("/tmp/d", new FileInfo(Path.Combine(local, "link")).LinkTarget);

            // docker 20.10's client words the archive endpoints' 404 itself.
            var missing = api.Docker("cp", name + ":/no/such", Path.Combine(local, "x"));
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal($"Error: No such container:path: {name}:/no/such", missing.Err);
            var into = api.Docker("cp", upload, name + ":/tmp/f/");
            Assert.NotEqual(0, into.ExitCode);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task Serve_ArchiveEndpoints_StatHeaderTarAndDockersErrors()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-archive");
        try
        {
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c",
                "mkdir -p /srv/site && printf 12345 > /srv/site/index && chmod 4750 /srv/site/index && ln -s site /srv/cur && sleep 300");
            Detached.Eventually(() => api.Docker("exec", name, "readlink", "/srv/cur").Out == "site", TimeSpan.FromSeconds(10), () => "the container set up /srv");

            using (var head = new HttpRequestMessage(HttpMethod.Head, $"/v1.41/containers/{name}/archive?path=/srv/site/index"))
            using (var response = await api.Http.SendAsync(head))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var stat = Stat(response);
                Assert.Equal("index", stat.GetProperty("name").GetString());
                Assert.Equal(5, stat.GetProperty("size").GetInt64());
                // Go's os.FileMode: setuid is bit 23, the permissions 0750.
                Assert.Equal((1u << 23) | 0x1E8, stat.GetProperty("mode").GetUInt32());
                Assert.Equal("", stat.GetProperty("linkTarget").GetString());
            }

            using (var link = await api.Http.GetAsync($"/v1.41/containers/{name}/archive?path=/srv/cur"))
            {
                Assert.Equal(HttpStatusCode.OK, link.StatusCode);
                var stat = Stat(link);
                Assert.Equal(1u << 27, stat.GetProperty("mode").GetUInt32() & (1u << 27));
                Assert.Equal("/srv/site", stat.GetProperty("linkTarget").GetString());
                var entries = ReadTar(await link.Content.ReadAsStreamAsync());
                Assert.Equal(["cur"], entries.Keys);
            }

            using (var dir = await api.Http.GetAsync($"/v1.41/containers/{name}/archive?path=/srv/site/"))
            {
                Assert.Equal("application/x-tar", dir.Content.Headers.ContentType?.MediaType);
                Assert.Equal(1u << 31, Stat(dir).GetProperty("mode").GetUInt32() & (1u << 31));
                var entries = ReadTar(await dir.Content.ReadAsStreamAsync());
                Assert.Equal("12345", entries["site/index"]);
            }

            // PUT: the tar lands in the directory, with the archive's owners only with copyUIDGID.
            var tar = MakeTar(("up/a.txt", "alpha", 1000));
            using (var put = await api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/srv&noOverwriteDirNonDir=true", new ByteArrayContent(tar)))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            using (var put = await api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/srv/site&copyUIDGID=1", new ByteArrayContent(MakeTar(("b.txt", "beta", 1000)))))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            Assert.Equal("alpha 0 beta 1000", api.DockerOk("exec", name, "sh", "-c", "echo $(cat /srv/up/a.txt) $(stat -c %u /srv/up/a.txt) $(cat /srv/site/b.txt) $(stat -c %u /srv/site/b.txt)"));

            // A directory replaced by a file: refused with noOverwriteDirNonDir (docker's CLI), done without it (moby's default).
            using (var tree = await api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/srv", new ByteArrayContent(MakeTar(("box/inner/x", "x", 0)))))
            {
                Assert.Equal(HttpStatusCode.OK, tree.StatusCode);
            }

            var file = MakeTar(("box", "now a file", 0));
            using (var refused = await api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/srv&noOverwriteDirNonDir=true", new ByteArrayContent(file)))
            {
                Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
                Assert.Contains("cannot overwrite directory", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal("x", api.DockerOk("exec", name, "cat", "/srv/box/inner/x"));
            using (var replaced = await api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/srv", new ByteArrayContent(file)))
            {
                Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            }

            Assert.Equal("now a file", api.DockerOk("exec", name, "cat", "/srv/box"));

            await AssertError(api.Http.GetAsync($"/v1.41/containers/{name}/archive?path=/nope"), HttpStatusCode.NotFound, $"Could not find the file /nope in container {name}");
            await AssertError(api.Http.GetAsync($"/v1.41/containers/no-such-{name}/archive?path=/"), HttpStatusCode.NotFound, $"No such container: no-such-{name}");
            await AssertError(api.Http.GetAsync($"/v1.41/containers/{name}/archive"), HttpStatusCode.BadRequest, "bad parameter: path cannot be empty");
            await AssertError(api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/srv/site/index", new ByteArrayContent(tar)), HttpStatusCode.BadRequest, "extraction point is not a directory");
            await AssertError(api.Http.PutAsync($"/v1.41/containers/{name}/archive?path=/nope", new ByteArrayContent(tar)), HttpStatusCode.NotFound, $"Could not find the file /nope in container {name}");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task Serve_DockerExportAndDiff_ShowTheContainersFilesystem()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-export");
        var tarPath = Path.Combine(anchor.TempDir, name + ".tar");
        try
        {
            api.DockerOk("run", "--name", name, "--network", "none", "busybox", "sh", "-c", "echo exported > /root/new.txt && rm /bin/arch");

            api.DockerOk("export", "-o", tarPath, name);
            using (var file = File.OpenRead(tarPath))
            {
                var entries = ReadTar(file);
                Assert.Equal("exported\n", entries["root/new.txt"]);
                Assert.Contains("bin/sh", entries.Keys);
                Assert.DoesNotContain("bin/arch", entries.Keys);
            }

            var diff = api.DockerOk("diff", name).Split('\n');
            Assert.Contains("C /root", diff);
            Assert.Contains("A /root/new.txt", diff);
            Assert.Contains("D /bin/arch", diff);

            using var changes = await api.Http.GetAsync($"/v1.41/containers/{name}/changes");
            using var doc = JsonDocument.Parse(await changes.Content.ReadAsStringAsync());
            var kinds = doc.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("Path").GetString()!, c => c.GetProperty("Kind").GetInt32());
            Assert.Equal(0, kinds["/root"]);
            Assert.Equal(1, kinds["/root/new.txt"]);
            Assert.Equal(2, kinds["/bin/arch"]);
            await AssertError(api.Http.GetAsync($"/v1.41/containers/no-such-{name}/export"), HttpStatusCode.NotFound, $"No such container: no-such-{name}");
        }
        finally
        {
            anchor.ForceRemove(name);
            File.Delete(tarPath);
        }
    }

    [Fact]
    public async Task Serve_DockerStatsNoStream_ReportsTheContainersUsage()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-stats");
        try
        {
            // A busy loop for the CPU column; the memory limit is the MEM USAGE's denominator.
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "-m", "64m", "--pids-limit", "20", "busybox", "sh", "-c", "while :; do :; done");
            var row = api.DockerOk("stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}", name).Split('|');
            Assert.Equal(name, row[0]);
            Assert.True(double.Parse(row[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) > 5, $"CPU % of a busy loop: {row[1]}");
            Assert.EndsWith("/ 64MiB", row[2], StringComparison.Ordinal);
            Assert.Equal("1", row[3]);

            using var oneShot = await api.Http.GetAsync($"/v1.41/containers/{name}/stats?stream=false&one-shot=true");
            using var doc = JsonDocument.Parse(await oneShot.Content.ReadAsStringAsync());
            var stats = doc.RootElement;
            Assert.Equal("/" + name, stats.GetProperty("name").GetString());
            Assert.Equal(67108864, stats.GetProperty("memory_stats").GetProperty("limit").GetInt64());
            Assert.Equal(20, stats.GetProperty("pids_stats").GetProperty("limit").GetInt64());
            Assert.True(stats.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetInt64() > 0);
            Assert.Equal("0001-01-01T00:00:00Z", stats.GetProperty("preread").GetString());

            api.DockerOk("stop", "-t", "0", name);
            using var stopped = await api.Http.GetAsync($"/v1.41/containers/{name}/stats?stream=false");
            using var none = JsonDocument.Parse(await stopped.Content.ReadAsStringAsync());
            Assert.Equal("0001-01-01T00:00:00Z", none.RootElement.GetProperty("read").GetString());
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Serve_DockerUpdate_ChangesTheRunningContainersLimits()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-update");
        try
        {
            api.DockerOk("run", "-d", "--name", name, "--network", "none", "-m", "32m", "busybox", "sleep", "300");
            Assert.Equal(name, api.DockerOk("update", "--memory", "48m", "--pids-limit", "30", name));
            Assert.Equal("50331648 30", api.DockerOk("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", name));
            // The container's own cgroup (v1 or v2) says so too.
            var limits = api.DockerOk("exec", name, "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max");
            Assert.Equal("50331648\n30", limits);

            var tooSmall = api.Docker("update", "--memory", "2m", name);
            Assert.Equal(1, tooSmall.ExitCode);
            Assert.Equal("Error response from daemon: Minimum memory limit allowed is 6MB", tooSmall.Err);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task Serve_DockerPrune_RemovesOnlyUnusedContainersNetworksAndVolumes()
    {
        using var api = new ServedApi(anchor);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var exited = Detached.UniqueName("api-prune-x");
        var running = Detached.UniqueName("api-prune-r");
        var network = Detached.UniqueName("api-prune-n");
        var unused = Detached.UniqueName("api-prune-v");
        var used = Detached.UniqueName("api-prune-u");
        try
        {
            api.DockerOk("run", "--name", exited, "--label", "prune=" + tag, "--network", "none", "busybox", "true");
            api.DockerOk("volume", "create", "--label", "prune=" + tag, unused);
            api.DockerOk("volume", "create", "--label", "prune=" + tag, used);
            api.DockerOk("run", "-d", "--name", running, "--label", "prune=" + tag, "--network", "none", "-v", used + ":/data", "busybox", "sleep", "300");
            api.DockerOk("network", "create", network);

            var containers = api.DockerOk("container", "prune", "-f", "--filter", "label=prune=" + tag);
            Assert.Contains(api.DockerOk("inspect", "--format", "{{.Id}}", running), api.DockerOk("ps", "-q", "--no-trunc").Split('\n'));
            Assert.NotEqual(0, api.Docker("inspect", exited).ExitCode);
            Assert.StartsWith("Deleted Containers:\n", containers, StringComparison.Ordinal);

            var networks = api.DockerOk("network", "prune", "-f");
            Assert.Contains(network, networks.Split('\n'));
            Assert.DoesNotContain(network, api.DockerOk("network", "ls", "--format", "{{.Name}}").Split('\n'));

            // docker 20.10 speaks API 1.41: its prune takes named volumes too, never one in use.
            var volumes = api.DockerOk("volume", "prune", "-f", "--filter", "label=prune=" + tag).Split('\n');
            Assert.Contains(unused, volumes);
            Assert.DoesNotContain(used, volumes);
            Assert.Equal(used, api.DockerOk("volume", "ls", "-q", "--filter", "label=prune=" + tag));

            // From API 1.42 on only anonymous volumes go unless all=true is asked for.
            api.DockerOk("rm", "-f", running);
            using (var current = await api.Http.PostAsync($"/v1.44/volumes/prune?filters={Uri.EscapeDataString("{\"label\":[\"prune=" + tag + "\"]}")}", null))
            {
                Assert.Equal("{\"VolumesDeleted\":null,\"SpaceReclaimed\":0}", (await current.Content.ReadAsStringAsync()).Trim());
            }

            using var all = await api.Http.PostAsync($"/v1.44/volumes/prune?filters={Uri.EscapeDataString("{\"label\":[\"prune=" + tag + "\"],\"all\":[\"true\"]}")}", null);
            Assert.Equal($"{{\"VolumesDeleted\":[\"{used}\"],\"SpaceReclaimed\":0}}", (await all.Content.ReadAsStringAsync()).Trim());
        }
        finally
        {
            anchor.ForceRemove(exited, running);
            api.Docker("network", "rm", network);
            api.Docker("volume", "rm", unused, used);
        }
    }

    [Fact]
    public async Task Serve_DockerRunAndExecInATerminal_GetTheClientsWindowSize()
    {
        using var api = new ServedApi(anchor);
        var name = Detached.UniqueName("api-resize");
        try
        {
            // script(1) gives the docker client a terminal of 33 rows and 101 columns; the client
            // sends that size through the resize endpoints once the container or exec has started.
            var run = await InTerminal(api, "run", "-it", "--rm", "--network", "none", "busybox", "sh", "-c", "sleep 0.5; stty size");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("33 101", run.Out, StringComparison.Ordinal);

            api.DockerOk("run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "300");
            var exec = await InTerminal(api, "exec", "-it", name, "sh", "-c", "sleep 0.5; stty size");
            Assert.True(exec.ExitCode == 0, exec.ToString());
            Assert.Contains("33 101", exec.Out, StringComparison.Ordinal);

            using var notRunning = await api.Http.PostAsync("/v1.41/exec/nope/resize?h=1&w=1", null);
            Assert.Equal(HttpStatusCode.NotFound, notRunning.StatusCode);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Serve_DockerWaitOnARemovedContainer_ReportsItsExitCode()
    {
        using var api = new ServedApi(anchor);
        var id = api.DockerOk("run", "-d", "--rm", "--network", "none", "busybox", "sh", "-c", "sleep 1; exit 7");
        var wait = api.Docker("wait", id);
        Assert.True(wait.ExitCode == 0, wait.ToString());
        Assert.Equal("7", wait.Out);
    }

    private static Task<ProcessResult> InTerminal(ServedApi api, params string[] args)
    {
        var command = "stty rows 33 cols 101; " + string.Join(' ', new[] { ServedApi.DockerCli, "-H", "unix://" + api.Socket }.Concat(args).Select(ProcessRunner.ShellQuote));
        return ScriptTerminal.Run(command, TimeSpan.FromSeconds(30));
    }

    private static JsonElement Stat(HttpResponseMessage response)
    {
        var header = response.Headers.GetValues("X-Docker-Container-Path-Stat").Single();
        return JsonDocument.Parse(Convert.FromBase64String(header)).RootElement;
    }

    private static async Task AssertError(Task<HttpResponseMessage> request, HttpStatusCode status, string message)
    {
        using var response = await request;
        Assert.Equal(status, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, doc.RootElement.GetProperty("message").GetString());
    }

    /// <summary>Every entry of a tar: name → content ("" for what is not a regular file).</summary>
    internal static Dictionary<string, string> ReadTar(Stream stream)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            using var content = new StreamReader(entry.DataStream ?? Stream.Null, Encoding.UTF8);
            entries[entry.Name.TrimEnd('/')] = content.ReadToEnd();
        }

        return entries;
    }

    internal static byte[] MakeTar(params (string Name, string Content, int Owner)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content, owner) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Uid = owner,
                    Gid = owner,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
