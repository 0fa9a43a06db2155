using Anchor.Linux.Interop;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Tests.Init;

public sealed class MountOptionsTests
{
    [Fact]
    public void Parse_SplitsFlagsFromData()
    {
        var options = MountOptions.Parse(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]);
        Assert.Equal(LibC.MS_NOSUID | LibC.MS_NOEXEC, options.Flags);
        Assert.Equal("newinstance,ptmxmode=0666,mode=0620", options.Data);
        Assert.False(options.Bind);
        Assert.False(options.ReadOnly);
    }

    [Fact]
    public void Parse_RbindReadOnlyWithPropagation()
    {
        var options = MountOptions.Parse(["rbind", "ro", "rprivate"]);
        Assert.True(options.Bind);
        Assert.True(options.ReadOnly);
        Assert.Equal(LibC.MS_BIND | LibC.MS_REC | LibC.MS_RDONLY, options.Flags);
        Assert.Equal(LibC.MS_PRIVATE | LibC.MS_REC, options.Propagation);
        Assert.Null(options.Data);
    }

    [Fact]
    public void Parse_LaterWordWins()
    {
        Assert.Equal(0UL, MountOptions.Parse(["ro", "rw"]).Flags);
        Assert.Equal(0UL, MountOptions.Parse(["nosuid", "suid"]).Flags);
    }
}
