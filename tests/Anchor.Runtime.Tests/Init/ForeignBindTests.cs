using Anchor.Runtime.Init;

namespace Anchor.Runtime.Tests.Init;

public sealed class ForeignBindTests
{
    [Theory]
    [InlineData("/proc/42/root/dev/shm", 42, "/dev/shm")]
    [InlineData("/proc/7/root/a/b", 7, "/a/b")]
    public void ProcRootPaths_NameTheProcessAndItsPath(string source, int pid, string path)
    {
        Assert.True(ForeignBind.TryParse(source, out var parsedPid, out var parsedPath));
        Assert.Equal(pid, parsedPid);
        Assert.Equal(path, parsedPath);
    }

    [Theory]
    [InlineData("/dev/shm")]
    [InlineData("/proc/self/root/dev/shm")]
    [InlineData("/proc/0/root/dev/shm")]
    [InlineData("/proc/42/cwd/x")]
    [InlineData("/proc/42/root")]
    public void OtherPaths_AreOrdinaryBinds(string source) => Assert.False(ForeignBind.TryParse(source, out _, out _));
}
