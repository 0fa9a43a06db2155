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

    /// <summary>
    /// The length of the head (its blank line included) at the start of <paramref name="bytes"/>,
    /// or -1. Lines may end in a bare LF, which Go's server and Kestrel accept and Docker.DotNet sends.
    /// </summary>
    public static int Length(ReadOnlySpan<byte> bytes)
    {
        var lf = bytes.IndexOf("\n\n"u8);
        var crlf = bytes.IndexOf("\n\r\n"u8);
        return (lf, crlf) switch
        {
            (< 0, < 0) => -1,
            (>= 0, < 0) => lf + 2,
            (< 0, >= 0) => crlf + 3,
            _ => Math.Min(lf + 2, crlf + 3),
        };
    }

    /// <summary>The head as Kestrel should see it: unchanged unless it is an upgrade with a body.</summary>
    public static byte[] Rewrite(byte[] head)
    {
        // Split at LF: a line keeps its CR, if it has one, and gets it back when rewritten.
        var lines = Encoding.Latin1.GetString(head).Split('\n');
        var upgrade = lines.Skip(1).Any(l => l.StartsWith("upgrade:", StringComparison.OrdinalIgnoreCase));
        var length = Array.FindIndex(lines, 1, l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
        if (!upgrade || length < 0
            || !long.TryParse(lines[length]["content-length:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size == 0)
        {
            return head;
        }

        lines[length] = $"{Header}: {size.ToString(CultureInfo.InvariantCulture)}" + (lines[length].EndsWith('\r') ? "\r" : "");
        return Encoding.Latin1.GetBytes(string.Join('\n', lines));
    }
}
