using System.Globalization;
using System.Text.RegularExpressions;

namespace Anchor.Engine.Containers;

/// <summary>
/// ps --filter as docker reads it: filters of the same key are alternatives, different keys must all
/// match (docker ps reference, "Filtering"). Supported: id, name (regular expression), status, exited, health (starting, healthy, unhealthy, none).
/// </summary>
public sealed class ContainerFilter
{
    private readonly Dictionary<string, List<string>> _filters;

    private ContainerFilter(Dictionary<string, List<string>> filters) => _filters = filters;

    public bool MentionsStatus => _filters.ContainsKey("status") || _filters.ContainsKey("exited");

    public static ContainerFilter Parse(IEnumerable<string> filters)
    {
        var parsed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EngineException($"bad format of filter (expected name=value)", 1);
            }

            var key = filter[..eq].ToLowerInvariant();
            if (key is not ("id" or "name" or "status" or "exited" or "health"))
            {
                throw new EngineException($"invalid filter '{key}'", 1);
            }

            if (key == "health" && filter[(eq + 1)..] is not (Health.HealthStatus.Starting or Health.HealthStatus.Healthy or Health.HealthStatus.Unhealthy or Health.HealthStatus.None))
            {
                throw new EngineException($"Error response from daemon: Unrecognised filter value for health: {filter[(eq + 1)..]}", 1);
            }

            if (!parsed.TryGetValue(key, out var values))
            {
                parsed[key] = values = [];
            }

            values.Add(filter[(eq + 1)..]);
        }

        return new ContainerFilter(parsed);
    }

    public bool Matches(ContainerRecord c) => _filters.All(f => f.Value.Any(value => f.Key switch
    {
        "id" => c.Id.StartsWith(value, StringComparison.Ordinal),
        "name" => Regex.IsMatch(c.Name, value, RegexOptions.None, TimeSpan.FromSeconds(1)),
        "status" => string.Equals(c.Status.ToString(), value, StringComparison.OrdinalIgnoreCase),
        "health" => (c.Health?.Status ?? Health.HealthStatus.None) == value,
        "exited" => c.Status == ContainerStatus.Exited && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) && c.ExitCode == code,
        _ => false,
    }));
}
