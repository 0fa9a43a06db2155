using Anchor.Engine.Containers;
using Anchor.Engine.Filters;
using Anchor.Engine.Networks;
using Anchor.Engine.Volumes;

namespace Anchor.Engine.Tests.Filters;

/// <summary>--filter parsing and matching, without a store: docker's grammar, errors and per-key rules.</summary>
public sealed class FilterParsingTests
{
    [Fact]
    public void Parse_SameKeyOrs_DifferentKeysAnd()
    {
        var args = FilterArgs.Parse(["a=1", "a=2", "b=x"], ["a", "b"]);
        Assert.Equal(["1", "2"], args.Values("a"));
        Assert.True(args.All((k, v) => k == "a" ? v == "2" : v == "x"));
        Assert.False(args.All((k, v) => k == "a" ? v == "3" : v == "x"));
        Assert.False(args.All((k, v) => k == "a" ? v == "1" : v == "y"));
    }

    [Fact]
    public void Label_EveryValueMustMatch_AsMobysMatchKVList()
    {
        var labels = new Dictionary<string, string> { ["com.docker.compose.project"] = "proj", ["com.docker.compose.service"] = "web" };
        var both = FilterArgs.Parse(["label=com.docker.compose.project=proj", "label=com.docker.compose.service=web"], ["label"]);
        Assert.True(both.All((_, v) => FilterArgs.LabelMatches(labels, v)));
        var other = FilterArgs.Parse(["label=com.docker.compose.project=proj", "label=com.docker.compose.service=worker"], ["label"]);
        Assert.False(other.All((_, v) => FilterArgs.LabelMatches(labels, v)));
    }

    [Theory]
    [InlineData("nokey", "bad format of filter (expected name=value)")]
    [InlineData("=v", "bad format of filter (expected name=value)")]
    [InlineData("bogus=1", "Error response from daemon: Invalid filter 'bogus'")]
    public void Parse_Mistakes_AreDockersErrors_Exit1(string filter, string message)
    {
        var e = Assert.Throws<EngineException>(() => FilterArgs.Parse([filter], ["a"]));
        Assert.Equal(message, e.Shown());
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Parse_ValueKeepsItsEqualsSigns_KeyIsCaseInsensitive()
    {
        var args = FilterArgs.Parse(["LABEL=a=b=c"], ["label"]);
        Assert.Equal(["a=b=c"], args.Values("label"));
    }

    [Fact]
    public void LabelMatches_KeyOrKeyAndValue()
    {
        var labels = new Dictionary<string, string> { ["tier"] = "x", ["empty"] = "" };
        Assert.True(FilterArgs.LabelMatches(labels, "tier"));
        Assert.True(FilterArgs.LabelMatches(labels, "tier=x"));
        Assert.False(FilterArgs.LabelMatches(labels, "tier=y"));
        Assert.True(FilterArgs.LabelMatches(labels, "empty="));
        Assert.False(FilterArgs.LabelMatches(labels, "other"));
        Assert.False(FilterArgs.LabelMatches(null, "tier"));
    }

    [Theory]
    [InlineData("80", new[] { "80/tcp" })]
    [InlineData("53/udp", new[] { "53/udp" })]
    [InlineData("8000-8002/tcp", new[] { "8000/tcp", "8001/tcp", "8002/tcp" })]
    public void PortRange_Expands(string value, string[] keys) => Assert.Equal(keys, PortRange.Parse(value));

    [Theory]
    [InlineData("x")]
    [InlineData("9-8")]
    [InlineData("80/icmp")]
    [InlineData("70000")]
    public void PortRange_Bad_Fails(string value) => Assert.Equal(1, Assert.Throws<EngineException>(() => PortRange.Parse(value)).ExitCode);

    [Theory]
    [InlineData("busybox", "busybox", true)]
    [InlineData("busy*", "busybox", true)]
    [InlineData("*", "library/busybox", false)]
    [InlineData("*/*", "library/busybox", true)]
    [InlineData("busybox:1.?", "busybox:1.3", true)]
    [InlineData("b[a-u]sybox", "busybox", true)]
    [InlineData("b[^u]sybox", "busybox", false)]
    [InlineData("a.b", "axb", false)]
    public void GoPathMatch_IsGosPathMatch(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GoPathMatch.IsMatch(pattern, name));

    [Fact]
    public void ContainerFilter_RecordKeys()
    {
        var record = TestRecords.Named("web-1") with
        {
            Mounts = [new MountPoint("volume", "data", "/v/data", "/srv/data", true)],
            ExposedPorts = ["7000/tcp"],
            PortRequests = [new PortBinding("", 8080, 80, "tcp")],
            Networks = [new NetworkAttachment { NetworkId = "abcdef123456", NetworkName = "front" }],
        };
        bool M(params string[] f) => ContainerFilter.Parse(f).Matches(record);
        Assert.True(M("volume=data"));
        Assert.True(M("volume=/srv/data"));
        Assert.False(M("volume=other"));
        Assert.True(M("expose=7000"));
        Assert.True(M("expose=6999-7001"));
        Assert.False(M("expose=7000/udp"));
        Assert.True(M("publish=80/tcp"));
        Assert.False(M("publish=8080"));
        Assert.True(M("network=front"));
        Assert.True(M("network=abcdef"));
        Assert.False(M("network=back"));
        Assert.True(M("is-task=false"));
        Assert.False(M("is-task=true"));
        Assert.True(M("name=^web", "volume=data"));
        Assert.False(M("name=^db", "volume=data"));
        Assert.Equal(1, Assert.Throws<EngineException>(() => ContainerFilter.Parse(["is-task=maybe"])).ExitCode);
        Assert.Equal(1, Assert.Throws<EngineException>(() => ContainerFilter.Parse(["health=healthy", "nosuch=1"])).ExitCode);
    }

    [Fact]
    public void ContainerFilter_Lookups_LabelAncestorBeforeSince()
    {
        var older = TestRecords.Named("old") with { Created = DateTimeOffset.UnixEpoch.AddSeconds(10) };
        var newer = TestRecords.Named("new") with { Created = DateTimeOffset.UnixEpoch.AddSeconds(20), ImageId = "sha256:1" };
        var context = new ContainerFilterContext(
            name => name == "old" ? older : name == "new" ? newer : throw new EngineException("No such container: " + name, 1),
            r => r == newer ? new Dictionary<string, string> { ["tier"] = "x" } : null,
            image => r => image == "base" || (image == "child" && r.ImageId == "sha256:1"));
        bool M(ContainerRecord r, params string[] f) => ContainerFilter.Parse(f, context).Matches(r);
        Assert.True(M(newer, "label=tier=x"));
        Assert.False(M(older, "label=tier"));
        Assert.True(M(older, "ancestor=base"));
        Assert.False(M(older, "ancestor=child"));
        Assert.True(M(newer, "ancestor=child"));
        Assert.True(M(older, "before=new"));
        Assert.False(M(newer, "before=new"));
        Assert.True(M(newer, "since=old"));
        Assert.False(M(older, "since=old"));
        Assert.Throws<EngineException>(() => ContainerFilter.Parse(["since=gone"], context));
    }

    [Fact]
    public void PruneFilter_UntilAndLabels()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var labels = new Dictionary<string, string> { ["keep"] = "yes" };
        bool M(DateTimeOffset created, IReadOnlyDictionary<string, string>? l, params string[] f) => PruneFilter.Parse(f, now).Matches(created, l);
        Assert.True(M(now.AddHours(-2), null, "until=1h"));
        Assert.False(M(now.AddMinutes(-30), null, "until=1h"));
        Assert.True(M(now.AddDays(-2), null, "until=2025-12-31T00:00:00Z"));
        Assert.True(M(now, labels, "label=keep"));
        Assert.False(M(now, labels, "label!=keep"));
        Assert.True(M(now, labels, "label!=keep=no"));
        Assert.True(M(now, null, "label!=keep"));
        Assert.Equal(1, Assert.Throws<EngineException>(() => PruneFilter.Parse(["until=soon"], now)).ExitCode);
        Assert.Equal(1, Assert.Throws<EngineException>(() => PruneFilter.Parse(["dangling=true"], now)).ExitCode);
    }

    [Fact]
    public void VolumeFilter_ListAndPruneKeys()
    {
        var volume = new VolumeRecord { Name = "cache-1", Mountpoint = "/m", CreatedAt = DateTimeOffset.UnixEpoch, Labels = new() { ["k"] = "v" } };
        bool M(bool used, params string[] f) => VolumeFilter.Parse(f, VolumeFilter.ListKeys).Matches(volume, _ => used);
        Assert.True(M(false, "dangling=true"));
        Assert.False(M(true, "dangling=true"));
        Assert.True(M(true, "dangling=false"));
        Assert.True(M(false, "name=cache"));
        Assert.False(M(false, "name=db"));
        Assert.True(M(false, "driver=local", "label=k=v"));
        Assert.Throws<EngineException>(() => VolumeFilter.Parse(["all=true"], VolumeFilter.ListKeys));
        Assert.True(VolumeFilter.Parse(["all=1"], VolumeFilter.PruneKeys).All);
        Assert.False(VolumeFilter.Parse(["label!=k"], VolumeFilter.PruneKeys).Matches(volume, _ => false));
    }

    [Fact]
    public void NetworkFilter_TypeAndScopeValues()
    {
        Assert.Equal(1, Assert.Throws<EngineException>(() => NetworkFilter.Parse(["type=odd"])).ExitCode);
        Assert.Equal(1, Assert.Throws<EngineException>(() => NetworkFilter.Parse(["scope=planet"])).ExitCode);
        var network = new NetworkRecord { Id = "0123abcd", Name = "front", Created = DateTimeOffset.UnixEpoch, Labels = new() { ["k"] = "v" } };
        Assert.True(NetworkFilter.Parse(["type=custom", "scope=local", "label=k=v", "id=0123"]).Matches(network));
        Assert.False(NetworkFilter.Parse(["scope=swarm"]).Matches(network));
    }
}
