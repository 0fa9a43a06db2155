using Anchor.Engine.Events;

namespace Anchor.Engine.Tests.Events;

/// <summary>`events --filter` with moby's matching rules.</summary>
public sealed class EventFilterTests
{
    private static readonly EngineEvent Start = new(EngineEvent.ContainerType, "start", "0123456789ab",
        new Dictionary<string, string> { ["name"] = "web", ["image"] = "busybox:latest", ["tier"] = "front" }, 1);

    private static readonly EngineEvent Exec = Start with { Action = "exec_start: sh -c true" };

    private static bool Matches(EngineEvent e, params string[] filters) => EventFilter.Parse(filters).Matches(e);

    [Theory]
    [InlineData(true)]
    [InlineData(true, "type=container")]
    [InlineData(false, "type=image")]
    [InlineData(true, "type=image", "type=container")]
    [InlineData(true, "event=start")]
    [InlineData(false, "event=sta")]
    [InlineData(true, "container=web")]
    [InlineData(true, "container=0123")]
    [InlineData(false, "container=db")]
    [InlineData(true, "image=busybox")]
    [InlineData(true, "image=busybox:latest")]
    [InlineData(false, "image=alpine")]
    [InlineData(true, "label=tier")]
    [InlineData(true, "label=tier=front")]
    [InlineData(false, "label=tier=back")]
    [InlineData(false, "label=tier", "label=other")]
    [InlineData(false, "network=net")]
    [InlineData(false, "event=start", "type=network")]
    public void Matches_ContainerStart(bool expected, params string[] filters) => Assert.Equal(expected, Matches(Start, filters));

    [Fact]
    public void Matches_ExecStartByItsName_IsAPrefixMatch()
    {
        Assert.True(Matches(Exec, "event=exec_start"));
        Assert.False(Matches(Exec, "event=exec_create"));
    }

    [Fact]
    public void Parse_UnknownKey_IsDockersError()
    {
        var e = Assert.Throws<EngineException>(() => EventFilter.Parse(["colour=red"]));
        Assert.Equal("Invalid filter 'colour'", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Parse_NoEquals_IsDockersError() =>
        Assert.Equal("bad format of filter (expected name=value)", Assert.Throws<EngineException>(() => EventFilter.Parse(["type"])).Message);
}
