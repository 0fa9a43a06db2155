using Anchor.Engine.Filters;

namespace Anchor.Engine.Volumes;

/// <summary>
/// volume ls --filter (docker volume ls reference): dangling (used by no container, or used),
/// driver, label (KEY or KEY=VALUE), name (substring, as docker's daemon matches it); and volume
/// prune --filter: label, label! (has not) and all (named volumes too).
/// </summary>
public sealed class VolumeFilter
{
    public static IReadOnlyList<string> ListKeys { get; } = ["dangling", "driver", "label", "name"];

    public static IReadOnlyList<string> PruneKeys { get; } = ["label", "label!", "all"];

    private readonly FilterArgs _args;

    private VolumeFilter(FilterArgs args)
    {
        _args = args;
        foreach (var key in new[] { "dangling", "all" })
        {
            foreach (var value in args.Values(key))
            {
                _ = FilterArgs.Bool(key, value);
            }
        }
    }

    /// <summary>prune's all=true: named volumes are pruned too (as --all).</summary>
    public bool All => _args.Values("all").Any(v => FilterArgs.Bool("all", v));

    public static VolumeFilter Parse(IEnumerable<string> filters, IReadOnlyList<string> keys) => new(FilterArgs.Parse(filters, [.. keys]));

    /// <param name="inUse">Whether a container uses the volume (for dangling=).</param>
    public bool Matches(VolumeRecord volume, Func<string, bool> inUse)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(inUse);
        return _args.All((key, value) => key switch
        {
            "dangling" => FilterArgs.Bool(key, value) != inUse(volume.Name),
            "driver" => volume.Driver == value,
            "label" => FilterArgs.LabelMatches(volume.Labels, value),
            "label!" => !FilterArgs.LabelMatches(volume.Labels, value),
            "name" => volume.Name.Contains(value, StringComparison.Ordinal),
            "all" => true,
            _ => false,
        });
    }
}
