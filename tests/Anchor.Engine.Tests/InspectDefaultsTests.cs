using Anchor.Engine.Inspect;

namespace Anchor.Engine.Tests;

/// <summary>Config.Env and HostConfig.Tmpfs as docker's inspect shows them.</summary>
public sealed class InspectDefaultsTests
{
    [Fact]
    public void ConfigEnv_UserFirstInOrder_ThenTheImagesNotOverridden()
    {
        var env = InspectDefaults.ConfigEnv(["ZED=1", "PATH=/x", "ALPHA=2"], ["PATH=/usr/bin", "LANG=C"], ["PATH=/x", "HOSTNAME=h", "HOME=/root"]);
        Assert.Equal(["ZED=1", "PATH=/x", "ALPHA=2", "LANG=C"], env);
    }

    [Fact]
    public void ConfigEnv_NothingSet_IsNull() => Assert.Null(InspectDefaults.ConfigEnv([], [], ["PATH=/bin", "HOSTNAME=h"]));

    [Fact]
    public void ConfigEnv_ImageGone_FallsBackToTheSpec() =>
        Assert.Equal(["PATH=/bin"], InspectDefaults.ConfigEnv(["A=1"], null, ["PATH=/bin"]));

    [Fact]
    public void Tmpfs_PathToOptions_NullWhenNone()
    {
        Assert.Null(InspectDefaults.Tmpfs([]));
        var map = InspectDefaults.Tmpfs(["/run", "/scratch:size=1m,mode=1777"])!;
        Assert.Equal("", map["/run"]);
        Assert.Equal("size=1m,mode=1777", map["/scratch"]);
    }
}
