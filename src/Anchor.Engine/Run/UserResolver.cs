using System.Globalization;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// Turns docker's <c>user[:group]</c> (names or numbers) into numeric credentials using the image's
/// /etc/passwd and /etc/group, as runc's user.GetExecUser does; also gives the user's home. The
/// supplementary groups are docker's (moby daemon/oci_linux.go getUser, since the CVE-2022-36109
/// fix): the primary gid first, then the groups that list the user by name (only when no group
/// was given), then --group-add.
/// </summary>
public static class UserResolver
{
    public static (SpecUser User, string Home) Resolve(string? spec, IReadOnlyList<string> layersTopFirst, IReadOnlyList<string>? groupAdd = null)
    {
        var passwd = Parse(LayeredFile.ReadLines(layersTopFirst, "/etc/passwd"));
        var groups = Parse(LayeredFile.ReadLines(layersTopFirst, "/etc/group"));
        spec = string.IsNullOrEmpty(spec) ? "0" : spec;
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? null : spec[(colon + 1)..];

        uint uid;
        uint gid = 0;
        var home = "/";
        string? userName = null;
        var entry = passwd.FirstOrDefault(p => p.Length >= 7 && (p[0] == userPart || p[2] == userPart));
        if (entry is not null)
        {
            userName = entry[0];
            uid = ParseId(entry[2]);
            gid = ParseId(entry[3]);
            home = entry[5].Length > 0 ? entry[5] : "/";
        }
        else if (uint.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out var numericUid))
        {
            uid = numericUid;
        }
        else
        {
            throw new EngineException($"unable to find user {userPart}: no matching entries in passwd file", ExitCodes.CannotInvoke);
        }

        List<uint> memberOf = [];
        if (groupPart is not null)
        {
            var group = groups.FirstOrDefault(g => g.Length >= 3 && (g[0] == groupPart || g[2] == groupPart));
            if (group is not null)
            {
                gid = ParseId(group[2]);
            }
            else if (uint.TryParse(groupPart, NumberStyles.None, CultureInfo.InvariantCulture, out var numericGid))
            {
                gid = numericGid;
            }
            else
            {
                throw new EngineException($"unable to find group {groupPart}: no matching entries in group file", ExitCodes.CannotInvoke);
            }
        }
        else if (userName is not null)
        {
            memberOf = groups
                .Where(g => g.Length >= 4 && g[3].Split(',').Contains(userName))
                .Select(g => ParseId(g[2]))
                .ToList();
        }

        List<uint> additional = [gid, .. memberOf, .. AdditionalGroups(groupAdd ?? [], groups)];
        return (new SpecUser { Uid = uid, Gid = gid, AdditionalGids = additional }, home);
    }

    /// <summary>
    /// --group-add (moby/sys/user GetAdditionalGroups): a name must be in the image's /etc/group, a
    /// number is taken as it is; each gid once.
    /// </summary>
    private static IEnumerable<uint> AdditionalGroups(IReadOnlyList<string> names, List<string[]> groups)
    {
        HashSet<uint> seen = [];
        foreach (var name in names)
        {
            var numeric = uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
            var match = groups.FirstOrDefault(g => g.Length >= 3 && (numeric ? g[2] == name : g[0] == name));
            uint gid;
            if (match is not null)
            {
                gid = ParseId(match[2]);
            }
            else if (numeric)
            {
                gid = number;
            }
            else
            {
                // Capitalised, unlike the group of -u (moby/sys/user GetAdditionalGroups).
                throw EngineException.Daemon(EngineErrorKind.Internal, $"Unable to find group {name}: no matching entries in group file");
            }

            if (seen.Add(gid))
            {
                yield return gid;
            }
        }
    }

    private static List<string[]> Parse(string[]? lines) =>
        lines is null ? [] : lines.Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':')).ToList();

    private static uint ParseId(string s) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
