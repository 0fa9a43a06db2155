namespace Anchor.IntegrationTests;

/// <summary>The image's config (CMD from import --change) and docker's default environment.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ImageConfigTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_NoCommand_RunsTheImagesCmd()
    {
        var result = anchor.Anchor(["run", "--rm", "-i", AnchorFixture.Image], stdin: "echo fromstdin\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("fromstdin", result.Out);
    }

    [Fact]
    public void Run_Path_IsDockersDefault()
    {
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", anchor.ShOk("echo $PATH"));
    }

    [Fact]
    public void Run_Home_IsRootsHome()
    {
        Assert.Equal("/root", anchor.ShOk("echo $HOME"));
    }

    [Fact]
    public void Run_Environment_HasHostnameAndNoHostVariables()
    {
        Environment.SetEnvironmentVariable("ANCHOR_IT_LEAK", "leaked");
        var env = anchor.ShOk("env").Split('\n');
        Assert.Contains(env, l => l.StartsWith("HOSTNAME=", StringComparison.Ordinal));
        Assert.DoesNotContain(env, l => l.Contains("leaked", StringComparison.Ordinal));
    }
}
