using Anchor.Build.Dockerfile;
using Anchor.Build.Mounts;

namespace Anchor.Build.Tests;

public sealed class RunMountParserTests
{
    private static readonly ShellLex Lex = new(n => n == "DIR" ? "/cache" : null);

    [Fact]
    public void Cache_DefaultsIdToTargetAndIsWritable()
    {
        var m = RunMountParser.Parse("type=cache,target=$DIR,sharing=locked,mode=0700,uid=1000", Lex);
        Assert.Equal(RunMount.Cache, m.Type);
        Assert.Equal("/cache", m.Target);
        Assert.Equal("/cache", m.Id);
        Assert.Equal("locked", m.Sharing);
        Assert.Equal(0x1C0u, m.Mode);
        Assert.Equal(1000u, m.Uid);
        Assert.False(m.ReadOnly);
    }

    [Fact]
    public void Bind_IsTheDefaultType_ReadOnlyUnlessRw()
    {
        var ro = RunMountParser.Parse("target=/src,source=app", Lex);
        Assert.Equal(RunMount.Bind, ro.Type);
        Assert.True(ro.ReadOnly);
        Assert.Equal("app", ro.Source);
        Assert.False(RunMountParser.Parse("type=bind,target=/src,rw", Lex).ReadOnly);
        Assert.Equal("stage", RunMountParser.Parse("type=bind,from=stage,dst=/x,readwrite=true", Lex).From);
    }

    [Fact]
    public void Secret_DefaultsTargetFromIdAndIdFromTarget()
    {
        var byId = RunMountParser.Parse("type=secret,id=token,required", Lex);
        Assert.Equal("/run/secrets/token", byId.Target);
        Assert.True(byId.Required);
        Assert.True(byId.ReadOnly);
        Assert.Equal("key", RunMountParser.Parse("type=secret,target=/etc/key", Lex).Id);
    }

    [Fact]
    public void Tmpfs_ReadsSize() =>
        Assert.Equal(64L << 20, RunMountParser.Parse("type=tmpfs,target=/t,size=64m", Lex).Size);

    [Theory]
    [InlineData("type=ssh,target=/x", "unsupported mount type \"ssh\"")]
    [InlineData("type=volume,target=/x", "unsupported mount type \"volume\"")]
    [InlineData("type=bind,target=/x,mode=0755", "mode not allowed for \"bind\" type mounts")]
    [InlineData("type=tmpfs,target=/x,sharing=locked", "invalid cache sharing set for tmpfs mount")]
    [InlineData("type=cache,target=/x,sharing=sometimes", "unsupported sharing value \"sometimes\"")]
    [InlineData("type=cache,target=/x,color=red", "unexpected key 'color' in 'color=red'")]
    [InlineData("type=cache,target=/x,required", "unexpected key 'required' for mount type 'cache'")]
    [InlineData("type=cache", "mount destination not set")]
    [InlineData("type=secret", "invalid secret mount. one of source, target required")]
    public void Invalid_IsRefusedWithBuildKitsWording(string value, string message)
    {
        var e = Assert.Throws<BuildException>(() => RunMountParser.Parse(value, Lex));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_KeepsEveryMountFlagInOrder()
    {
        var run = DockerfileParser.Parse("FROM busybox\nRUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network=none true\n").Stages[0].Commands[0];
        Assert.Equal(["type=cache,target=/a", "type=tmpfs,target=/b"], run.AllFlags.Where(f => f.Key == "mount").Select(f => f.Value));
        Assert.Equal("none", run.Flag("network"));
        Assert.Equal("true", run.Arguments);
    }
}
