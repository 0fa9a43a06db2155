namespace Anchor.Images.Registry;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235 4.1): a scheme and its
/// parameters, e.g. <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"</c>
/// (distribution spec, "token authentication"; docker's registry/auth/token docs).
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses every challenge of the header; quoted values may contain commas and escaped quotes.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string? header)
    {
        var result = new List<AuthChallenge>();
        if (string.IsNullOrWhiteSpace(header))
        {
            return result;
        }

        var i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (i < header.Length)
        {
            SkipSpaceAndCommas(header, ref i);
            var tokenStart = i;
            while (i < header.Length && header[i] is not (' ' or '=' or ','))
            {
                i++;
            }

            var token = header[tokenStart..i];
            if (token.Length == 0)
            {
                break;
            }

            var j = i;
            while (j < header.Length && header[j] == ' ')
            {
                j++;
            }

            if (j < header.Length && header[j] == '=' && scheme is not null)
            {
                i = j + 1;
                while (i < header.Length && header[i] == ' ')
                {
                    i++;
                }

                parameters[token] = ReadValue(header, ref i);
                continue;
            }

            // A new scheme starts (the first one, or the next challenge of the list).
            if (scheme is not null)
            {
                result.Add(new AuthChallenge(scheme, parameters));
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }

            scheme = token;
        }

        if (scheme is not null)
        {
            result.Add(new AuthChallenge(scheme, parameters));
        }

        return result;
    }

    private static string ReadValue(string s, ref int i)
    {
        if (i < s.Length && s[i] == '"')
        {
            i++;
            var value = new System.Text.StringBuilder();
            while (i < s.Length && s[i] != '"')
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                {
                    i++;
                }

                value.Append(s[i]);
                i++;
            }

            i++; // closing quote
            return value.ToString();
        }

        var start = i;
        while (i < s.Length && s[i] is not (',' or ' '))
        {
            i++;
        }

        return s[start..i];
    }

    private static void SkipSpaceAndCommas(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or ',')
        {
            i++;
        }
    }
}
