using System.Globalization;

namespace Anchor.Engine.Userns;

/// <summary>
/// The host ids reserved for --userns=auto: uids [UidBase, UidBase + Count) and gids [GidBase,
/// GidBase + Count). A range handed out is an offset into both. From the entries of a user named
/// "anchor" in /etc/subuid and /etc/subgid when both exist (subuid(5), as podman takes its
/// "containers" user's), else 1,000,000,000 ids from 1,000,000,000: far above useradd's
/// SUB_UID_MIN..SUB_UID_MAX (100000..600100000, login.defs(5)) and below 2^31, so no login user's
/// or subordinate id is ever handed to a container.
/// </summary>
public sealed record IdSpan(uint UidBase, uint GidBase, ulong Count)
{
    public const string UserName = "anchor";

    public static readonly IdSpan Default = new(1_000_000_000, 1_000_000_000, 1_000_000_000);

    /// <summary>The span the host's files give (<paramref name="subuid"/>, <paramref name="subgid"/>: their texts, null when absent).</summary>
    public static IdSpan From(string? subuid, string? subgid)
    {
        if (Entry(subuid) is { } uids && Entry(subgid) is { } gids)
        {
            return new IdSpan(uids.Start, gids.Start, Math.Min(uids.Count, gids.Count));
        }

        return Default;
    }

    /// <summary>The first "anchor:START:COUNT" line (subuid(5)).</summary>
    private static (uint Start, ulong Count)? Entry(string? text)
    {
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(':');
            if (fields.Length == 3 && fields[0] == UserName
                && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                return (start, count);
            }
        }

        return null;
    }
}
