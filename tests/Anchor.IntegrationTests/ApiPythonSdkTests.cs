namespace Anchor.IntegrationTests;

/// <summary>
/// Issue 13's second real client: Debian's python3-docker 5.0.3 under /usr/bin/python3 (the Docker SDK for Python, installed by
/// install.sh) against `anchor serve`: ping, a `run` that returns its output, a detached container
/// whose logs, exec and wait the SDK reads, and the list of images.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiPythonSdkTests(AnchorFixture anchor)
{
    private const string Script = """
        import docker, sys, time
        c = docker.DockerClient(base_url="unix://" + sys.argv[1], timeout=60)
        print("ping", c.ping(), c.version()["ApiVersion"])
        print("run", c.containers.run("busybox", ["sh", "-c", "echo hello-from-py; echo err >&2"], remove=True, network_mode="none").decode().strip())
        ctr = c.containers.run("busybox", ["sh", "-c", "echo ready; sleep 30"], detach=True, network_mode="none", name=sys.argv[2])
        for _ in range(100):
            if b"ready" in ctr.logs():
                break
            time.sleep(0.1)
        print("logs", ctr.logs().decode().strip())
        ctr.reload()
        print("status", ctr.status)
        r = ctr.exec_run(["sh", "-c", "echo in-exec; exit 5"])
        print("exec", r.exit_code, r.output.decode().strip())
        print("listed", sys.argv[2] in [x.name for x in c.containers.list()])
        ctr.stop(timeout=1)
        print("wait", ctr.wait()["StatusCode"])
        ctr.remove()
        print("images", "busybox:latest" in [t for i in c.images.list() for t in i.tags])
        """;

    [Fact]
    public void PythonSdk_RunLogsExecWaitRemove()
    {
        using var api = new ServedApi(anchor);
        var name = "py-" + Guid.NewGuid().ToString("N")[..8];
        var result = ProcessRunner.Run("/usr/bin/python3", ["-c", Script, api.Socket, name], (string?)null, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                "ping True 1.44",
                "run hello-from-py",
                "logs ready",
                "status running",
                "exec 5 in-exec",
                "listed True",
                "wait 137",
                "images True",
            ],
            result.Out.Split('\n'));
        Assert.DoesNotContain(name, anchor.Anchor(["ps", "-a", "--format", "{{.Names}}"]).Stdout, StringComparison.Ordinal);
    }
    /// <summary>
    /// The HostConfig fields that `docker run` flags set, sent by the SDK and seen from inside the
    /// container: a read-only bind and a sized tmpfs from Mounts, Tmpfs, NanoCpus, Memory, Ulimits,
    /// CapDrop, Sysctls, PidsLimit, ReadonlyRootfs, ShmSize and OomScoreAdj.
    /// </summary>
    private const string HostConfigScript = """
        import docker, sys
        from docker.types import Mount, Ulimit
        c = docker.DockerClient(base_url="unix://" + sys.argv[1], timeout=60)
        sh = "; ".join([
            "cat /m/f",
            "grep -c ' /t tmpfs .*size=1024k' /proc/mounts",
            "grep -c ' /run2 tmpfs .*size=2048k' /proc/mounts",
            "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max",
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max",
            "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max",
            "ulimit -n",
            "grep CapEff /proc/self/status",
            "cat /proc/sys/net/ipv4/ip_unprivileged_port_start",
            "touch /x 2>/dev/null && echo writable || echo read-only",
            "touch /m/g 2>/dev/null && echo bind-writable || echo bind-read-only",
            "df -k /dev/shm | tail -1 | awk '{print $2}'",
            "cat /proc/self/oom_score_adj",
        ])
        out = c.containers.run("busybox", ["sh", "-c", sh], remove=True, network_mode="none",
            mounts=[Mount("/m", sys.argv[2], type="bind", read_only=True), Mount("/t", None, type="tmpfs", tmpfs_size=1048576)],
            tmpfs={"/run2": "size=2m"}, nano_cpus=500000000, mem_limit="64m", pids_limit=50,
            ulimits=[Ulimit(name="nofile", soft=123, hard=456)], cap_drop=["ALL"],
            sysctls={"net.ipv4.ip_unprivileged_port_start": "80"}, read_only=True, shm_size="8m", oom_score_adj=100)
        print(out.decode().strip())
        try:
            c.containers.create("busybox", mounts=[Mount("relative", "/tmp", type="bind")])
        except docker.errors.APIError as e:
            print("refused", e.status_code, e.explanation)
        """;

    [Fact]
    public void PythonSdk_HostConfigFieldsReachTheContainer()
    {
        using var api = new ServedApi(anchor);
        var source = Path.Combine(anchor.TempDir, "hc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "f"), "from-the-host\n");
        var result = ProcessRunner.Run("/usr/bin/python3", ["-c", HostConfigScript, api.Socket, source], (string?)null, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                "from-the-host",
                "1",
                "1",
                "50000",
                "67108864",
                "50",
                "123",
                "CapEff:\t0000000000000000",
                "80",
                "read-only",
                "bind-read-only",
                "8192",
                "100",
                "refused 400 invalid mount config for type \"bind\": invalid mount path: 'relative' mount path must be absolute",
            ],
            result.Out.Split('\n'));
        Assert.False(File.Exists(Path.Combine(source, "g")));
    }
    /// <summary>
    /// API 1.44's create with several endpoints: the container starts on HostConfig.NetworkMode's
    /// network and is connected to the others, each with its aliases; a create naming a network that
    /// does not exist fails and leaves no container.
    /// </summary>
    private const string EndpointsScript = """
        import docker, sys, time
        c = docker.DockerClient(base_url="unix://" + sys.argv[1], timeout=60)
        a, b, name = sys.argv[2], sys.argv[3], sys.argv[4]
        na, nb = c.networks.create(a), c.networks.create(b)
        try:
            nc = c.api.create_networking_config({a: c.api.create_endpoint_config(aliases=["one"]), b: c.api.create_endpoint_config(aliases=["two"])})
            ctr = c.api.create_container("busybox", ["sleep", "60"], host_config=c.api.create_host_config(network_mode=a), networking_config=nc, name=name)
            c.api.start(ctr)
            nets = c.api.inspect_container(ctr)["NetworkSettings"]["Networks"]
            print("networks", sorted(nets) == sorted([a, b]))
            print("aliases", "one" in (nets[a].get("Aliases") or []), "two" in (nets[b].get("Aliases") or []))
            r = c.api.exec_start(c.api.exec_create(ctr, ["sh", "-c", "grep -c eth /proc/net/dev"]))
            print("interfaces", r.decode().strip())
            c.api.remove_container(ctr, force=True)
            bad = c.api.create_networking_config({a: c.api.create_endpoint_config(), "no-such-net-" + name: c.api.create_endpoint_config()})
            try:
                c.api.create_container("busybox", ["true"], host_config=c.api.create_host_config(network_mode=a), networking_config=bad, name=name + "-bad")
            except docker.errors.APIError as e:
                print("refused", e.status_code)
            print("left", name + "-bad" in [x.name for x in c.containers.list(all=True)])
        finally:
            na.remove(); nb.remove()
        """;

    [Fact]
    public void PythonSdk_CreateWithTwoNetworks_ConnectsBoth_AndABadOneLeavesNothing()
    {
        using var api = new ServedApi(anchor);
        var id = Guid.NewGuid().ToString("N")[..8];
        var result = ProcessRunner.Run("/usr/bin/python3", ["-c", EndpointsScript, api.Socket, "epa-" + id, "epb-" + id, "ep-" + id], (string?)null, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["networks True", "aliases True True", "interfaces 2", "refused 404", "left False"], result.Out.Split('\n'));
    }
}
