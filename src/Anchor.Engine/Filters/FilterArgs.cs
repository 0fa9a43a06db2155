namespace Anchor.Engine.Filters;

/// <summary>
/// <c>--filter KEY=VALUE</c> as docker reads it (api/types/filters): values of one key are
/// alternatives, different keys must all match. Keys are checked against what the verb accepts,
/// with docker's words for the two mistakes (exit 1, as every non-run CLI error).
/// </summary>
public sealed class FilterArgs
{
    private readonly Dictionary<string, List<string>> _terms;

    private FilterArgs(Dictionary<string, List<string>> terms) => _terms = terms;

    public static FilterArgs Parse(IEnumerable<string> filters, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(allowed);
        var terms = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EngineException("bad format of filter (expected name=value)", 1);
            }

            var key = filter[..eq].Trim().ToLowerInvariant();
            if (!allowed.Contains(key))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid filter '{key}'", 1);
            }

            if (!terms.TryGetValue(key, out var values))
            {
                terms[key] = values = [];
            }

            values.Add(filter[(eq + 1)..].Trim());
        }

        return new FilterArgs(terms);
    }

    public bool Has(string key) => _terms.ContainsKey(key);

    public IReadOnlyList<string> Values(string key) => _terms.TryGetValue(key, out var values) ? values : [];

    /// <summary>
    /// Every key given has a value that <paramref name="match"/> accepts; for <c>label</c> every
    /// value must be accepted (moby's filters.Args.MatchKVList: two label filters mean both labels,
    /// which is how Compose finds one service of one project).
    /// </summary>
    public bool All(Func<string, string, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return _terms.All(term => term.Key == "label"
            ? term.Value.All(value => match(term.Key, value))
            : term.Value.Any(value => match(term.Key, value)));
    }

    /// <summary>docker's label filter: <c>label=KEY</c> (present) or <c>label=KEY=VALUE</c> (equal).</summary>
    public static bool LabelMatches(IReadOnlyDictionary<string, string>? labels, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        var key = eq < 0 ? value : value[..eq];
        return labels is not null && labels.TryGetValue(key, out var actual) && (eq < 0 || actual == value[(eq + 1)..]);
    }

    /// <summary>A boolean filter value (dangling=, is-task=) with docker's refusal of anything else.</summary>
    public static bool Bool(string key, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid filter '{key}={value}'", 1),
    };

    /// <summary>prune's until=: a Go duration before now, RFC 3339 or a Unix timestamp (docker's timestamp grammar).</summary>
    public static DateTimeOffset Until(string value, DateTimeOffset now) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(Logs.DockerTimestamp.Parse("until", value, now) / 100));
}
