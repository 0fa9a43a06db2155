using Anchor.Engine.Run;
using Anchor.Engine.Userns;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Tests.Userns;

public sealed class UserNamespaceSettingsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("host", "host")]
    [InlineData("auto", "auto")]
    [InlineData("auto:size=1000", "auto:size=1000")]
    public void ParseMode_Valid(string? value, string? expected) => Assert.Equal(expected, UserNamespaceSettings.ParseMode(value));

    [Theory]
    [InlineData("private")]
    [InlineData("auto:size=0")]
    [InlineData("auto:size=-1")]
    [InlineData("auto:size=x")]
    [InlineData("keep-id")]
    public void ParseMode_Invalid_SaysSo(string value)
    {
        var e = Assert.Throws<EngineException>(() => UserNamespaceSettings.ParseMode(value));
        Assert.Equal($"--userns: invalid USER mode: {value}", e.Message);
    }

    [Fact]
    public void ParseMapping_Valid()
    {
        Assert.Equal(new SpecIdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }, UserNamespaceSettings.ParseMapping("--uidmap", "0:100000:65536"));
    }

    [Theory]
    [InlineData("0:1")]
    [InlineData("0:1:0")]
    [InlineData("a:1:2")]
    [InlineData("0:4294967290:10")]
    [InlineData("-1:0:1")]
    public void ParseMapping_Invalid(string value)
    {
        var e = Assert.Throws<EngineException>(() => UserNamespaceSettings.ParseMapping("--gidmap", value));
        Assert.StartsWith($"invalid argument \"{value}\" for \"--gidmap\" flag", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wanted_OnlyForAutoOrMaps()
    {
        Assert.False(UserNamespaceSettings.Wanted(new RunOptions { Image = "x" }));
        Assert.False(UserNamespaceSettings.Wanted(new RunOptions { Image = "x", UsernsMode = "host" }));
        Assert.True(UserNamespaceSettings.Wanted(new RunOptions { Image = "x", UsernsMode = "auto:size=5" }));
        Assert.True(UserNamespaceSettings.Wanted(new RunOptions { Image = "x", UidMaps = ["0:1:1"] }));
    }

    [Fact]
    public void Check_RefusesConflicts()
    {
        Assert.Throws<EngineException>(() => UserNamespaceSettings.Check(new RunOptions { Image = "x", UsernsMode = "auto", UidMaps = ["0:1:1"] }));
        Assert.Throws<EngineException>(() => UserNamespaceSettings.Check(new RunOptions { Image = "x", GidMaps = ["0:1:1"] }));
        var privileged = Assert.Throws<EngineException>(() => UserNamespaceSettings.Check(new RunOptions { Image = "x", UsernsMode = "auto", Privileged = true }));
        Assert.StartsWith("privileged mode is incompatible with user namespaces", privileged.Message, StringComparison.Ordinal);
        Assert.Throws<EngineException>(() => UserNamespaceSettings.Check(new RunOptions { Image = "x", UsernsMode = "auto", Network = NetworkMode.Host }));
        UserNamespaceSettings.Check(new RunOptions { Image = "x", UsernsMode = "host", Privileged = true, Network = NetworkMode.Host });
    }

    [Fact]
    public void Namespaces_AutoAddsAUserNamespace()
    {
        Assert.Contains(NamespaceModes.For(new RunOptions { Image = "x", UsernsMode = "auto" }), n => n.Type == "user");
        Assert.DoesNotContain(NamespaceModes.For(new RunOptions { Image = "x" }), n => n.Type == "user");
    }

    [Fact]
    public void Maps_HostIdAndText()
    {
        var maps = new UserNamespaceMaps(
            [new SpecIdMapping { ContainerId = 0, HostId = 1000, Size = 10 }, new SpecIdMapping { ContainerId = 100, HostId = 5000, Size = 1 }],
            [new SpecIdMapping { ContainerId = 0, HostId = 2000, Size = 10 }]);
        Assert.Equal("0 1000 10\n100 5000 1\n", maps.UidText);
        Assert.Equal("0 2000 10\n", maps.GidText);
        Assert.Equal(1009u, UserNamespaceMaps.HostId(maps.Uids, 9));
        Assert.Null(UserNamespaceMaps.HostId(maps.Uids, 10));
        Assert.Equal(5000u, UserNamespaceMaps.HostId(maps.Uids, 100));
    }

    [Fact]
    public void Apply_PutsTheMapsInTheSpec_AndDevOwnedByContainerRoot()
    {
        var spec = new Spec
        {
            Process = new SpecProcess { Args = ["true"], Cwd = "/" },
            Root = new SpecRoot { Path = "/r" },
            Mounts = [new SpecMount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["mode=755"] }],
            Linux = new SpecLinux { Namespaces = [new SpecNamespace { Type = "user" }] },
        };
        var maps = new UserNamespaceMaps([new SpecIdMapping { ContainerId = 0, HostId = 7000, Size = 10 }], [new SpecIdMapping { ContainerId = 0, HostId = 8000, Size = 10 }]);
        var applied = UserNamespaceSettings.Apply(spec, maps, []);
        Assert.Equal(maps.Uids, applied.Linux.UidMappings);
        Assert.Equal(["mode=755", "uid=7000", "gid=8000"], applied.Mounts[0].Options);
        Assert.Equal(maps, UserNamespaceMaps.Of(applied));
        Assert.Same(spec, UserNamespaceSettings.Apply(spec, null, []));
    }
}
