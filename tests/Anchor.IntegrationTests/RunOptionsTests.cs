namespace Anchor.IntegrationTests;

/// <summary>-e, --env-file, -w, -u: docker's semantics for the process the container runs.</summary>
[Collection(AnchorCollection.Name)]
public sealed class RunOptionsTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_EnvFlag_IsInTheEnvironment()
    {
        var env = anchor.ShOk("env", "-e", "FOO=bar").Split('\n');
        Assert.Contains("FOO=bar", env);
    }

    [Fact]
    public void Run_EnvFlag_OverridesImageEnv()
    {
        var env = anchor.ShOk("env", "-e", "PATH=/bin", "-e", "HOME=/elsewhere").Split('\n');
        Assert.Contains("PATH=/bin", env);
        Assert.Contains("HOME=/elsewhere", env);
    }

    [Fact]
    public void Run_EnvFile_IsInTheEnvironment()
    {
        var file = Path.Combine(anchor.TempDir, "env-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(file, "# a comment\nA=1\n\nB=two words\n");
        var env = anchor.ShOk("env", "--env-file", file).Split('\n');
        Assert.Contains("A=1", env);
        Assert.Contains("B=two words", env);
        Assert.DoesNotContain(env, l => l.Contains("comment", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Workdir_IsTheCurrentDirectory()
    {
        Assert.Equal("/tmp", anchor.ShOk("pwd", "-w", "/tmp"));
    }

    [Fact]
    public void Run_WorkdirMissing_IsCreated()
    {
        Assert.Equal("/newdir", anchor.ShOk("pwd; test -d /newdir", "-w", "/newdir"));
    }

    [Fact]
    public void Run_DefaultWorkdir_IsRoot()
    {
        Assert.Equal("/", anchor.ShOk("pwd"));
    }

    [Fact]
    public void Run_UserUid_RunsAsThatUidAndItsPasswdGroup()
    {
        Assert.Equal("65534\n65534", anchor.ShOk("id -u; id -g", "-u", "65534"));
    }

    [Fact]
    public void Run_UserName_IsLookedUpInTheImagesPasswd()
    {
        Assert.Equal("65534\n65534", anchor.ShOk("id -u; id -g", "-u", "nobody"));
    }

    [Fact]
    public void Run_UserUidGid_UsesBoth()
    {
        Assert.Equal("33\n100", anchor.ShOk("id -u; id -g", "-u", "33:100"));
    }

    [Fact]
    public void Run_Default_IsRootWithRootsHome()
    {
        var output = anchor.ShOk("id -u; id -g; echo $HOME");
        Assert.Equal("0\n0\n/root", output);
    }

    [Fact]
    public void Run_UnknownUser_FailsNamingIt()
    {
        var result = anchor.RunRm(["-u", "nosuchuser"], "true");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("nosuchuser", result.Stderr);
    }
}
