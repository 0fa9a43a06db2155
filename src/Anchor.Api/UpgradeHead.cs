using System.Globalization;
using System.Text;

namespace Anchor.Api;

/// <summary>
/// Docker's clients send POST /exec/{id}/start as an upgrade request with a JSON body (moby
/// client/hijack.go postHijacked); Go's server hijacks it all the same, but Kestrel does not offer
/// the upgrade of a request that has a body. The first request head of a connection that asks for
/// an upgrade and declares a body is therefore rewritten on its way in: its Content-Length becomes
/// <see cref="Header"/>, so Kestrel sees no body and offers the upgrade, and the body's bytes come
/// first on the upgraded stream, where the endpoint reads them (<see cref="ExecEndpoints"/>).
/// </summary>
public static class UpgradeHead
{
    public const string Header = "Anchor-Upgrade-Body";

    private static ReadOnlySpan<byte> End => "\r\n\r\n"u8;

    /// <summary>The length of the head (its blank line included) at the start of <paramref name="bytes"/>, or -1.</summary>
    public static int Length(ReadOnlySpan<byte> bytes)
    {
        var at = bytes.IndexOf(End);
        return at < 0 ? -1 : at + End.Length;
    }

    /// <summary>The head as Kestrel should see it: unchanged unless it is an upgrade with a body.</summary>
    public static byte[] Rewrite(byte[] head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var upgrade = lines.Skip(1).Any(l => l.StartsWith("upgrade:", StringComparison.OrdinalIgnoreCase));
        var length = Array.FindIndex(lines, 1, l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
        if (!upgrade || length < 0
            || !long.TryParse(lines[length]["content-length:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size == 0)
        {
            return head;
        }

        lines[length] = $"{Header}: {size.ToString(CultureInfo.InvariantCulture)}";
        return Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
    }
}
