using Anchor.Runtime.Init;

namespace Anchor.Runtime.Tests.Init;

public sealed class ScopedPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("anchor-scoped").FullName;

    [Fact]
    public void Join_PlainPath_StaysUnderRoot() =>
        Assert.Equal(_root + "/etc/hosts", ScopedPath.Join(_root, "/etc/hosts"));

    [Fact]
    public void Join_DotDot_IsClampedAtRoot() =>
        Assert.Equal(_root + "/etc/passwd", ScopedPath.Join(_root, "/../../../etc/passwd"));

    [Fact]
    public void Join_AbsoluteSymlink_ResolvesInsideRoot()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.CreateSymbolicLink(Path.Combine(_root, "etc/resolv.conf"), "/run/systemd/resolve/stub-resolv.conf");
        Assert.Equal(_root + "/run/systemd/resolve/stub-resolv.conf", ScopedPath.Join(_root, "/etc/resolv.conf"));
    }

    [Fact]
    public void Join_RelativeSymlinkClimbingOut_IsClamped()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), "../../../../tmp");
        Assert.Equal(_root + "/tmp/x", ScopedPath.Join(_root, "/escape/x"));
    }

    [Fact]
    public void Join_SymlinkLoop_Throws()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "/a");
        Assert.Throws<IOException>(() => ScopedPath.Join(_root, "/a/x"));
    }

    public void Dispose() => Directory.Delete(_root, true);
}
