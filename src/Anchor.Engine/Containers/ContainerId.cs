using Anchor.Linux;

namespace Anchor.Engine.Containers;

/// <summary>
/// 64 hex characters from getrandom(2), docker's ID format. Not RandomNumberGenerator: it loads
/// OpenSSL, which costs 10-30 ms on every run.
/// </summary>
public static class ContainerId
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[32];
        Sys.GetRandom(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool IsFullId(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);
}
