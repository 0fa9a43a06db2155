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
}
