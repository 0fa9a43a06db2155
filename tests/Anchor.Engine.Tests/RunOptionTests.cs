using Anchor.Engine.Images;
using Anchor.Engine.Run;
using Anchor.Oci.Image;

namespace Anchor.Engine.Tests;

public sealed class RunOptionTests
{
    [Fact]
    public void EnvironmentList_LaterOverridesEarlier_KeepingFirstPosition()
    {
        var merged = EnvironmentList.Merge(["PATH=/a", "X=1"], ["X=2", "Y=3"]);
        Assert.Equal(["PATH=/a", "X=2", "Y=3"], merged);
    }

    [Fact]
    public void Arguments_EntrypointPlusCmd()
    {
        var image = new ContainerConfig { Entrypoint = ["/entry"], Cmd = ["--flag"] };
        Assert.Equal(["/entry", "--flag"], SpecFactory.Arguments(new RunOptions { Image = "x" }, image));
        Assert.Equal(["/entry", "other"], SpecFactory.Arguments(new RunOptions { Image = "x", Command = ["other"] }, image));
    }

    [Fact]
    public void Arguments_EntrypointOverride_DropsImageCmd()
    {
        var image = new ContainerConfig { Entrypoint = ["/entry"], Cmd = ["--flag"] };
        Assert.Equal(["echo"], SpecFactory.Arguments(new RunOptions { Image = "x", Entrypoint = "echo" }, image));
        Assert.Equal(["echo", "hi"], SpecFactory.Arguments(new RunOptions { Image = "x", Entrypoint = "echo", Command = ["hi"] }, image));
    }

    [Fact]
    public void Arguments_Nothing_IsAnError()
    {
        var error = Assert.Throws<EngineException>(() => SpecFactory.Arguments(new RunOptions { Image = "x" }, new ContainerConfig()));
        Assert.Equal(ExitCodes.EngineError, error.ExitCode);
    }

    [Fact]
    public void ConfigChanges_ApplyDockerfileInstructions()
    {
        var config = ConfigChanges.Apply(new ContainerConfig(), [
            "CMD [\"sh\"]", "ENTRYPOINT /bin/run", "ENV A=1 B=2", "ENV C 3", "WORKDIR /srv", "USER nobody", "EXPOSE 80 53/udp", "LABEL k=v",
        ]);
        Assert.Equal(["sh"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "/bin/run"], config.Entrypoint);
        Assert.Equal(["A=1", "B=2", "C=3"], config.Env);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("nobody", config.User);
        Assert.Equal(["53/udp", "80/tcp"], config.ExposedPorts!.Keys.Order());
        Assert.Equal("v", config.Labels!["k"]);
    }

    [Fact]
    public void ConfigChanges_UnknownInstruction_Fails() =>
        Assert.Throws<EngineException>(() => ConfigChanges.Apply(new ContainerConfig(), ["FROB x"]));

    [Fact]
    public void ResolvConf_DropsLoopbackResolvers()
    {
        var result = EtcFiles.ForPrivateNetwork("search lan\nnameserver 127.0.0.53\nnameserver 10.1.1.1\n");
        Assert.Equal("search lan\nnameserver 10.1.1.1\n", result);
        Assert.Contains("nameserver 8.8.8.8", EtcFiles.ForPrivateNetwork("nameserver 127.0.0.1\n"), StringComparison.Ordinal);
    }
}
