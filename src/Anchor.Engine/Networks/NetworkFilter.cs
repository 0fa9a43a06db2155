namespace Anchor.Engine.Networks;

/// <summary>
/// network ls --filter: name= (substring), id= (prefix), driver= (exact), label=, scope=, type=
/// (builtin|custom), dangling= (true|1: user-defined networks no container is connected to;
/// false|0: the others, as moby's daemon/network.go); values of one key are ORed, keys ANDed.
/// </summary>
public sealed class NetworkFilter
{
    private readonly Dictionary<string, List<string>> _terms = [];

    public static NetworkFilter Parse(IEnumerable<string> filters)
    {
        var filter = new NetworkFilter();
        foreach (var term in filters)
        {
            var eq = term.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EngineException($"bad format of filter (expected name=value)");
            }

            var key = term[..eq];
            if (key is not ("name" or "id" or "driver" or "type" or "label" or "scope" or "dangling"))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid filter '{key}'", 1);
            }

            if (!filter._terms.TryGetValue(key, out var values))
            {
                filter._terms[key] = values = [];
            }

            var value = term[(eq + 1)..];
            // moby's network filter: only these values exist for type and scope.
            if ((key == "type" && value is not ("builtin" or "custom")) || (key == "scope" && value is not ("local" or "swarm" or "global"))
                || (key == "dangling" && value is not ("true" or "1" or "false" or "0")))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid filter: '{key}'='{value}'", 1);
            }

            values.Add(value);
        }

        return filter;
    }

    /// <summary>Whether the network passes; every network counts as unused (see the overload for dangling=).</summary>
    public bool Matches(NetworkRecord network) => Matches(network, _ => false);

    /// <summary>Whether the network passes, with <paramref name="inUse"/> telling whether a container is connected to it.</summary>
    public bool Matches(NetworkRecord network, Func<NetworkRecord, bool> inUse) => _terms.All(term => term.Value.Any(value => term.Key switch
    {
        "dangling" => (value is "true" or "1") == !(network.Predefined || inUse(network)),
        "name" => network.Name.Contains(value, StringComparison.Ordinal),
        "id" => network.Id.StartsWith(value, StringComparison.Ordinal),
        "driver" => network.Driver == value,
        "scope" => value == "local",
        "type" => value == (network.Predefined ? "builtin" : "custom"),
        "label" => Filters.FilterArgs.LabelMatches(network.Labels, value),
        _ => false,
    }));
}
