using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Anchor.IntegrationTests;

/// <summary>
/// `anchor serve` driven by Docker.DotNet, the .NET client Testcontainers and other .NET tools
/// are built on: create, start, a log line awaited, exec, a file copied in and out through the
/// archive endpoints, remove.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ApiDotNetClientTests(AnchorFixture anchor)
{
    [Fact]
    public async Task Serve_DockerDotNet_RunsExecsCopiesAndRemovesAContainer()
    {
        using var api = new ServedApi(anchor);
        using var config = new DockerClientConfiguration(new Uri("unix://" + api.Socket));
        using var client = config.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var token = timeout.Token;
        var name = Detached.UniqueName("api-dotnet");
        try
        {
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = AnchorFixture.Image,
                Name = name,
                Cmd = ["sh", "-c", "echo started; exec sleep 300"],
                HostConfig = new HostConfig { NetworkMode = "none" },
            }, token);
            Assert.Equal(64, created.ID.Length);
            Assert.True(await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), token));

            // The log line, read from a following log stream as Testcontainers' wait strategies do.
            using (var logs = await client.Containers.GetContainerLogsAsync(created.ID, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = true }, token))
            {
                var buffer = new byte[4096];
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("started\n", StringComparison.Ordinal))
                {
                    var read = await logs.ReadOutputAsync(buffer, 0, buffer.Length, token);
                    Assert.False(read.EOF, $"the log ended before the line: {seen}");
                    seen.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
                }
            }

            var inspect = await client.Containers.InspectContainerAsync(created.ID, token);
            Assert.True(inspect.State.Running);
            Assert.Equal("/" + name, inspect.Name);

            // exec: both streams and the exit code.
            var exec = await client.Exec.ExecCreateContainerAsync(created.ID, new ContainerExecCreateParameters
            {
                Cmd = ["sh", "-c", "echo out; echo err >&2; exit 4"],
                AttachStdout = true,
                AttachStderr = true,
            }, token);
            using (var stream = await client.Exec.StartAndAttachContainerExecAsync(exec.ID, tty: false, token))
            {
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(token);
                Assert.Equal("out\n", stdout);
                Assert.Equal("err\n", stderr);
            }

            var execInspect = await client.Exec.InspectContainerExecAsync(exec.ID, token);
            Assert.Equal(4, execInspect.ExitCode);

            // A file in (PUT archive), then out again (GET archive) with its stat.
            var tar = ApiContainerFilesTests.MakeTar(("greeting.txt", "hello from .NET\n", 0));
            using (var upload = new MemoryStream(tar))
            {
                await client.Containers.ExtractArchiveToContainerAsync(created.ID, new ContainerPathStatParameters { Path = "/tmp", AllowOverwriteDirWithFile = false }, upload, token);
            }

            var archive = await client.Containers.GetArchiveFromContainerAsync(created.ID, new GetArchiveFromContainerParameters { Path = "/tmp/greeting.txt" }, statOnly: false, token);
            Assert.Equal("greeting.txt", archive.Stat.Name);
            Assert.Equal(16, archive.Stat.Size);
            using (var copy = new MemoryStream())
            {
                await archive.Stream.CopyToAsync(copy, token);
                copy.Position = 0;
                Assert.Equal("hello from .NET\n", ApiContainerFilesTests.ReadTar(copy)["greeting.txt"]);
            }

            archive.Stream.Dispose();
            // A HEAD answer has no body, the GET's carries docker's message.
            await Assert.ThrowsAsync<DockerContainerNotFoundException>(() =>
                client.Containers.GetArchiveFromContainerAsync(created.ID, new GetArchiveFromContainerParameters { Path = "/no/such" }, statOnly: true, token));
            var missing = await Assert.ThrowsAsync<DockerContainerNotFoundException>(() =>
                client.Containers.GetArchiveFromContainerAsync(created.ID, new GetArchiveFromContainerParameters { Path = "/no/such" }, statOnly: false, token));
            Assert.Contains($"Could not find the file /no/such in container {name}", missing.ResponseBody, StringComparison.Ordinal);

            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, token);
            await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(created.ID, token));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
