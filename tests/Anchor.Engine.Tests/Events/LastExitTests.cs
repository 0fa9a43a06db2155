using Anchor.Engine.Containers;
using Anchor.Engine.Events;

namespace Anchor.Engine.Tests.Events;

/// <summary>The exit code a removed (--rm) container's wait reports: the last die event of that container.</summary>
public sealed class LastExitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-lastexit-").FullName;

    [Fact]
    public void Of_SeveralDieEvents_IsTheLastOfThatContainer()
    {
        var paths = new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        Directory.CreateDirectory(paths.Root);
        var first = Record("aaa", "first");
        var other = Record("bbb", "other");
        EventLog.Emit(paths, EventLog.Died(first, 3));
        EventLog.Emit(paths, EventLog.Container(first, "start"));
        EventLog.Emit(paths, EventLog.Died(first, 7));
        EventLog.Emit(paths, EventLog.Died(other, 9));

        Assert.Equal(7, LastExit.Of(paths, "aaa"));
        Assert.Equal(9, LastExit.Of(paths, "bbb"));
        Assert.Null(LastExit.Of(paths, "ccc"));
    }

    private static ContainerRecord Record(string id, string name) =>
        new() { Id = id, Name = name, Image = "busybox", ImageId = "sha256:0", Created = DateTimeOffset.UnixEpoch };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
