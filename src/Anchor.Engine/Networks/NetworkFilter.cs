namespace Anchor.Engine.Networks;

/// <summary>network ls --filter: name= (substring), id= (prefix), driver= (exact), label=, scope=, type= (builtin|custom); values of one key are ORed, keys ANDed.</summary>
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
            if (key is not ("name" or "id" or "driver" or "type" or "label" or "scope"))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid filter '{key}'", 1);
            }

            if (!filter._terms.TryGetValue(key, out var values))
            {
                filter._terms[key] = values = [];
            }

            var value = term[(eq + 1)..];
            // moby's network filter: only these values exist for type and scope.
            if ((key == "type" && value is not ("builtin" or "custom")) || (key == "scope" && value is not ("local" or "swarm" or "global")))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid filter: '{key}'='{value}'", 1);
            }

            values.Add(value);
        }

        return filter;
    }

    public bool Matches(NetworkRecord network) => _terms.All(term => term.Value.Any(value => term.Key switch
    {
        "name" => network.Name.Contains(value, StringComparison.Ordinal),
        "id" => network.Id.StartsWith(value, StringComparison.Ordinal),
        "driver" => network.Driver == value,
        "scope" => value == "local",
        "type" => value == (network.Predefined ? "builtin" : "custom"),
        "label" => Filters.FilterArgs.LabelMatches(network.Labels, value),
        _ => false,
    }));
}
