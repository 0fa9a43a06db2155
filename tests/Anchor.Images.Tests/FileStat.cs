using Anchor.Linux.Interop;

namespace Anchor.Images.Tests;

/// <summary>lstat and xattr reads for assertions.</summary>
public static unsafe class FileStat
{
    public static LibC.StatBuf Lstat(string path)
    {
        LibC.StatBuf st;
        Assert.True(LibC.lstat(path, &st) == 0, $"lstat {path} failed");
        return st;
    }

    public static uint Type(string path) => Lstat(path).st_mode & LibC.S_IFMT;

    public static uint Perm(string path) => Lstat(path).st_mode & 0xFFF;

    public static byte[]? Xattr(string path, string name)
    {
        var buf = new byte[4096];
        fixed (byte* p = buf)
        {
            var n = LibC.lgetxattr(path, name, p, buf.Length);
            return n < 0 ? null : buf[..(int)n];
        }
    }
}
