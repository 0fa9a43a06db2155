namespace Anchor.IntegrationTests;

/// <summary>Each container gets its own copy of the image's files and never sees the host's.</summary>
[Collection(AnchorCollection.Name)]
public sealed class IsolationTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_FileWrittenInOneContainer_IsAbsentInTheNext()
    {
        var marker = "/marker-" + Guid.NewGuid().ToString("N")[..8];
        anchor.ShOk($"echo x > {marker} && echo x > /etc/marker && test -e {marker}");
        var result = anchor.Sh($"test -e {marker} || test -e /etc/marker");
        Assert.True(result.ExitCode == 1, $"the second container saw the first one's files: {result}");
    }

    [Fact]
    public void Run_ChangesToImageFiles_DoNotReachTheImage()
    {
        anchor.ShOk("echo changed > /etc/passwd; rm /bin/ls");
        var result = anchor.Sh("head -1 /etc/passwd; test -e /bin/ls && echo ls-present");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("root:x:0:0:root:/root:/bin/sh\nls-present", result.Out);
    }

    [Fact]
    public void Run_HostFile_IsInvisible()
    {
        var secret = Path.Combine("/tmp", "anchor-secret-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(secret, "secret");
        try
        {
            var result = anchor.RunRm("test", "-e", secret);
            Assert.True(result.ExitCode == 1, $"{secret} is visible inside: {result}");
            var store = anchor.RunRm("test", "-e", anchor.Root);
            Assert.True(store.ExitCode == 1, $"the store {anchor.Root} is visible inside: {store}");
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Run_ContainerRoot_IsTheImageNotTheHost()
    {
        // The image has busybox only: no /usr/bin/dotnet or /etc/os-release of the host.
        var result = anchor.Sh("ls /usr/bin | grep -vc busybox; test -e /etc/os-release && echo host-etc");
        Assert.DoesNotContain("host-etc", result.Out);
    }
}
