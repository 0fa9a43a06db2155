namespace Anchor.Images.Layers;

/// <summary>Whether bytes begin a tar archive: a POSIX or GNU header has "ustar" at offset 257 (tar(5)).</summary>
public static class TarMagic
{
    public static bool IsUstar(ReadOnlySpan<byte> head) =>
        head.Length >= 262 && head[257..262].SequenceEqual("ustar"u8);
}
