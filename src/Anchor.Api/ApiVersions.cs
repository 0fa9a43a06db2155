using System.Globalization;
using System.Text.RegularExpressions;

namespace Anchor.Api;

/// <summary>
/// The API versions served: paths with and without a /vMAJOR.MINOR prefix, the prefix checked
/// against the range as moby's VersionMiddleware does (api/server/middleware/version.go).
/// </summary>
public static partial class ApiVersions
{
    /// <summary>What /_ping's Api-Version header and /version advertise (docker 25's API).</summary>
    public const string Current = "1.44";

    /// <summary>The oldest version moby still accepts (api/common.go MinVersion).</summary>
    public const string Minimum = "1.24";

    [GeneratedRegex(@"^/v(\d+)\.(\d+)(/.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();

    /// <summary>
    /// Strips a version prefix from the path: null when there is none or it is in range, or the
    /// message of the 400 moby answers for a version out of range.
    /// </summary>
    public static string? StripPrefix(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var match = Prefix().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var version = $"{match.Groups[1].Value}.{match.Groups[2].Value}";
        if (Compare(version, Current) > 0)
        {
            return $"client version {version} is too new. Maximum supported API version is {Current}";
        }

        if (Compare(version, Minimum) < 0)
        {
            return $"client version {version} is too old. Minimum supported API version is {Minimum}, please upgrade your client to a newer version";
        }

        request.Path = match.Groups[3].Value;
        return null;
    }

    /// <summary>Versions compare by number, part by part ("1.9" &lt; "1.24").</summary>
    public static int Compare(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var p = i < x.Length ? long.Parse(x[i], CultureInfo.InvariantCulture) : 0;
            var q = i < y.Length ? long.Parse(y[i], CultureInfo.InvariantCulture) : 0;
            if (p != q)
            {
                return p.CompareTo(q);
            }
        }

        return 0;
    }
}
