using Anchor.Linux;

namespace Anchor.Images;

/// <summary>Random names for temporary files and directories that concurrent processes must not share.</summary>
internal static class RandomName
{
    public static string Hex(int bytes = 8)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        Sys.GetRandom(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
