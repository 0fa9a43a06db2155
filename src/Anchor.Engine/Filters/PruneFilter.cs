namespace Anchor.Engine.Filters;

/// <summary>
/// container/image/network prune --filter (docker's prune references): until=TIMESTAMP (created
/// before it: a Go duration before now, RFC 3339 or a Unix timestamp), label=KEY[=VALUE] (has it),
/// label!=KEY[=VALUE] (has it not).
/// </summary>
public sealed class PruneFilter
{
    public static IReadOnlyList<string> Keys { get; } = ["until", "label", "label!"];

    private readonly FilterArgs _args;
    private readonly Dictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    private PruneFilter(FilterArgs args, DateTimeOffset now)
    {
        _args = args;
        foreach (var value in args.Values("until"))
        {
            _until[value] = FilterArgs.Until(value, now);
        }
    }

    public static PruneFilter Parse(IEnumerable<string> filters, DateTimeOffset now, IReadOnlyList<string>? keys = null) =>
        new(FilterArgs.Parse(filters, [.. keys ?? Keys]), now);

    public bool Matches(DateTimeOffset? created, IReadOnlyDictionary<string, string>? labels) => _args.All((key, value) => key switch
    {
        "until" => created is { } c && c < _until[value],
        "label" => FilterArgs.LabelMatches(labels, value),
        "label!" => !FilterArgs.LabelMatches(labels, value),
        _ => false,
    });
}
