using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Engine.Inspect;
using Anchor.Engine.Networks;
using Anchor.Engine.Run;

namespace Anchor.Engine.Tests;

/// <summary>ps filters, network ls dangling=, and inspect fields as docker 20.10 shows them.</summary>
public sealed class DockerListFieldsTests
{
    private static ContainerRecord Record(NetworkMode network) => new()
    {
        Id = new string('c', 64),
        Name = "web",
        Image = "busybox",
        ImageId = "sha256:" + new string('b', 64),
        Created = DateTimeOffset.UnixEpoch,
        ExposedPorts = ["9000/tcp"],
        Options = new RunOptions { Image = "busybox", Network = network },
    };

    [Fact]
    public void StatusFilter_RefusesAnUnknownState()
    {
        var e = Assert.Throws<EngineException>(() => ContainerFilter.Parse(["status=nosuch"]));
        Assert.Equal("Error response from daemon: Invalid filter 'status=nosuch'", e.Shown());
        Assert.Equal(1, e.ExitCode);
        Assert.Throws<EngineException>(() => ContainerFilter.Parse(["status=Running"]));
        Assert.True(ContainerFilter.Parse(["status=created"]).Matches(Record(NetworkMode.None)));
    }

    [Fact]
    public void ExposeFilter_NetworkNoneContainerHasNoListedPorts()
    {
        Assert.False(ContainerFilter.Parse(["expose=9000"]).Matches(Record(NetworkMode.None)));
        Assert.True(ContainerFilter.Parse(["expose=9000"]).Matches(Record(NetworkMode.Bridge)));
        Assert.Empty(ContainerFilter.ListedExposedPorts(Record(NetworkMode.None)));
    }

    [Fact]
    public void NetworkFilter_Dangling_UserNetworksWithoutContainers()
    {
        var used = new NetworkRecord { Id = "01", Name = "used", Created = DateTimeOffset.UnixEpoch };
        var idle = new NetworkRecord { Id = "02", Name = "idle", Created = DateTimeOffset.UnixEpoch };
        bool InUse(NetworkRecord n) => n.Name == "used";
        Assert.True(NetworkFilter.Parse(["dangling=true"]).Matches(idle, InUse));
        Assert.False(NetworkFilter.Parse(["dangling=1"]).Matches(used, InUse));
        Assert.True(NetworkFilter.Parse(["dangling=false"]).Matches(used, InUse));
        Assert.False(NetworkFilter.Parse(["dangling=0"]).Matches(idle, InUse));
        Assert.Throws<EngineException>(() => NetworkFilter.Parse(["dangling=maybe"]));
    }

    private static JsonElement Inspect(ContainerInspectData data) => JsonDocument.Parse(ContainerInspectWriter.ToJson(data)).RootElement;

    private static readonly ContainerInspectData Sample = new()
    {
        Id = new string('a', 64),
        Path = "sh",
        Args = [],
        State = new ContainerStateData { Status = "created" },
        Image = "sha256:" + new string('b', 64),
        Name = "/web",
        HostConfig = new HostConfigData { LogType = "json-file", LogOptions = ["max-size=10k", "max-file=2"] },
        NetworkSettings = new NetworkSettingsData { Networks = [new NetworkEndpointData { Name = "none" }] },
    };

    [Fact]
    public void LogConfig_ShowsTheDriverAndItsOptionsSorted()
    {
        var log = Inspect(Sample).GetProperty("HostConfig").GetProperty("LogConfig");
        Assert.Equal("json-file", log.GetProperty("Type").GetString());
        Assert.Equal("""{"max-file":"2","max-size":"10k"}""", log.GetProperty("Config").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal("none", Inspect(Sample with { HostConfig = new HostConfigData { LogType = "none" } }).GetProperty("HostConfig").GetProperty("LogConfig").GetProperty("Type").GetString());
    }

    [Fact]
    public void NetworkEntry_HasDocker2010KeyOrder()
    {
        var keys = Inspect(Sample).GetProperty("NetworkSettings").GetProperty("Networks").GetProperty("none").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["IPAMConfig", "Links", "Aliases", "NetworkID", "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway",
            "GlobalIPv6Address", "GlobalIPv6PrefixLen", "MacAddress", "DriverOpts"], keys.Take(13).ToArray());
    }

    [Fact]
    public void Size_OnlyWithSize_AfterGraphDriver()
    {
        Assert.False(Inspect(Sample).TryGetProperty("SizeRw", out _));
        var sized = Inspect(Sample with { Size = new Usage.ContainerSize(2, 1_240_000) });
        Assert.Equal(2, sized.GetProperty("SizeRw").GetInt64());
        Assert.Equal(1_240_000, sized.GetProperty("SizeRootFs").GetInt64());
        var names = sized.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.IndexOf("GraphDriver") + 1, names.IndexOf("SizeRw"));
    }
}
