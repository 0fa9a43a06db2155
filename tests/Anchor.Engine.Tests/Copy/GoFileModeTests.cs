using Anchor.Engine.Copy;

namespace Anchor.Engine.Tests.Copy;

/// <summary>st_mode as Go's os.FileMode, the archive endpoints' "mode" (docker's client tests IsDir and ModeSymlink on it).</summary>
public sealed class GoFileModeTests
{
    [Theory]
    [InlineData(0x41ED /* S_IFDIR|0755 */, (1u << 31) | 0x1ED)]
    [InlineData(0x81A4 /* S_IFREG|0644 */, 0x1A4u)]
    [InlineData(0xA1FF /* S_IFLNK|0777 */, (1u << 27) | 0x1FF)]
    [InlineData(0x21B6 /* S_IFCHR|0666 */, (1u << 26) | (1u << 21) | 0x1B6)]
    [InlineData(0x61B0 /* S_IFBLK|0660 */, (1u << 26) | 0x1B0)]
    [InlineData(0x11A4 /* S_IFIFO|0644 */, (1u << 25) | 0x1A4)]
    [InlineData(0xC1ED /* S_IFSOCK|0755 */, (1u << 24) | 0x1ED)]
    [InlineData(0x89ED /* S_IFREG|04755 */, (1u << 23) | 0x1ED)]
    [InlineData(0x85ED /* S_IFREG|02755 */, (1u << 22) | 0x1ED)]
    [InlineData(0x43FF /* S_IFDIR|01777 */, (1u << 31) | (1u << 20) | 0x1FF)]
    public void FromUnix_EveryFileType_HasGosBits(uint mode, uint expected) =>
        Assert.Equal(expected, GoFileMode.FromUnix(mode));
}
