using System.Globalization;
using System.Text.RegularExpressions;
using Anchor.Engine.Filters;

namespace Anchor.Engine.Containers;

/// <summary>
/// ps --filter as docker reads it (docker ps reference, "Filtering"): filters of the same key are
/// alternatives, different keys must all match. id (prefix), name (regular expression), status,
/// exited, label, ancestor (the image or one built on it), before/since (created before/after a
/// container), volume (name or mount destination), network (name or ID), publish (a container port
/// published) and expose (exposed), with ports as PORT[/PROTO] or START-END[/PROTO], and is-task
/// (no container here is a swarm task), health (starting, healthy, unhealthy, none).
/// </summary>
public sealed class ContainerFilter
{
    public static IReadOnlyList<string> Keys { get; } =
        ["id", "name", "status", "exited", "label", "ancestor", "before", "since", "volume", "network", "publish", "expose", "is-task", "health"];

    private readonly FilterArgs _args;
    private readonly ContainerFilterContext _context;
    private readonly Dictionary<string, Func<ContainerRecord, bool>> _ancestors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _createdOf = new(StringComparer.Ordinal);

    private ContainerFilter(FilterArgs args, ContainerFilterContext context)
    {
        _args = args;
        _context = context;
        foreach (var value in args.Values("ancestor"))
        {
            _ancestors[value] = context.Ancestor(value);
        }

        foreach (var value in args.Values("before").Concat(args.Values("since")))
        {
            _createdOf[value] = context.Find(value).Created;
        }

        foreach (var value in args.Values("health"))
        {
            if (value is not (Health.HealthStatus.Starting or Health.HealthStatus.Healthy or Health.HealthStatus.Unhealthy or Health.HealthStatus.None))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Unrecognised filter value for health: {value}", 1);
            }
        }

        // daemon/list.go: a status outside docker's seven states is refused before listing.
        foreach (var value in args.Values("status"))
        {
            if (!Enum.GetNames<ContainerStatus>().Select(n => n.ToLowerInvariant()).Contains(value, StringComparer.Ordinal))
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid filter 'status={value}'", 1);
            }
        }

        foreach (var value in args.Values("is-task"))
        {
            _ = FilterArgs.Bool("is-task", value);
        }

        foreach (var value in args.Values("publish").Concat(args.Values("expose")))
        {
            _ = PortRange.Parse(value);
        }
    }

    /// <summary>
    /// The exposed ports docker's list sees: they come from the container's network sandbox
    /// (daemon/list.go reads container.NetworkSettings.Ports), which a --network none container has
    /// none of, so it shows and matches no exposed port.
    /// </summary>
    public static IReadOnlyList<string> ListedExposedPorts(ContainerRecord c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Options?.Network == Run.NetworkMode.None ? [] : c.ExposedPorts;
    }

    public bool MentionsStatus => _args.Has("status") || _args.Has("exited");

    /// <summary>Only the keys that need nothing but the record (id, name, status, exited, volume, network, publish, expose, is-task).</summary>
    public static ContainerFilter Parse(IEnumerable<string> filters) => Parse(filters, ContainerFilterContext.None);

    public static ContainerFilter Parse(IEnumerable<string> filters, ContainerFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ContainerFilter(FilterArgs.Parse(filters, [.. Keys]), context);
    }

    public bool Matches(ContainerRecord c) => _args.All((key, value) => key switch
    {
        "id" => c.Id.StartsWith(value, StringComparison.Ordinal),
        "name" => Regex.IsMatch(c.Name, value, RegexOptions.None, TimeSpan.FromSeconds(1)),
        "status" => string.Equals(c.Status.ToString(), value, StringComparison.OrdinalIgnoreCase),
        "exited" => c.Status == ContainerStatus.Exited && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) && c.ExitCode == code,
        "label" => FilterArgs.LabelMatches(_context.Labels(c), value),
        "ancestor" => _ancestors[value](c),
        "before" => c.Created < _createdOf[value],
        "since" => c.Created > _createdOf[value],
        "volume" => c.Mounts.Any(m => m.Name == value || m.Destination == value.TrimEnd('/') || m.Destination == value),
        "network" => c.Networks.Any(n => n.NetworkName == value || n.NetworkId.StartsWith(value, StringComparison.Ordinal))
            || (c.Options?.Network.ToString().Equals(value, StringComparison.OrdinalIgnoreCase) ?? false),
        "publish" => PortRange.Parse(value).Any(p => c.PortRequests.Any(r => r.PortKey == p)),
        "expose" => PortRange.Parse(value).Any(p => ListedExposedPorts(c).Contains(p)),
        "is-task" => !FilterArgs.Bool(key, value),
        "health" => (c.Health?.Status ?? Health.HealthStatus.None) == value,
        _ => false,
    });
}
