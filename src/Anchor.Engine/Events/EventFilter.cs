namespace Anchor.Engine.Events;

/// <summary>
/// `events --filter`, with the daemon's rules (moby daemon/events/filter.go): values of one key are
/// alternatives, different keys must all hold. type is exact; event is exact, or a prefix for
/// health_status, exec_create and exec_start (their actions carry ": detail"); container, network and
/// volume match the actor's ID or name by prefix; image matches the image event's ID or name or the
/// container's image, with or without its tag; label holds when every KEY or KEY=VALUE given is among
/// the attributes. scope must be "local".
/// </summary>
public sealed class EventFilter
{
    private static readonly string[] Keys = ["config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service", "type", "volume"];

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    /// <summary>Parses KEY=VALUE filters; docker's errors for a bad form (125) or an unknown key (1).</summary>
    public static EventFilter Parse(IEnumerable<string> filters)
    {
        var filter = new EventFilter();
        foreach (var given in filters)
        {
            var eq = given.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EngineException("bad format of filter (expected name=value)", ExitCodes.EngineError);
            }

            var key = given[..eq].Trim().ToLowerInvariant();
            if (!Keys.Contains(key))
            {
                throw new EngineException($"Invalid filter '{key}'", 1);
            }

            if (!filter._values.TryGetValue(key, out var list))
            {
                filter._values[key] = list = [];
            }

            list.Add(given[(eq + 1)..].Trim());
        }

        return filter;
    }

    public bool Matches(EngineEvent e) =>
        MatchEvent(e.Action)
        && Exact("type", e.Type)
        && Exact("scope", "local")
        && NameOrId(e, EngineEvent.ContainerType)
        && NameOrId(e, EngineEvent.NetworkType)
        && NameOrId(e, EngineEvent.VolumeType)
        && MatchImage(e)
        && MatchLabels(e.Attributes)
        && !Has("daemon") && !Has("plugin") && !Has("node") && !Has("service") && !Has("secret") && !Has("config");

    private bool Has(string key) => _values.ContainsKey(key);

    private bool Exact(string key, string value) => !_values.TryGetValue(key, out var list) || list.Contains(value);

    private bool Fuzzy(string key, string value) =>
        !_values.TryGetValue(key, out var list) || list.Any(v => value.StartsWith(v, StringComparison.Ordinal));

    private bool MatchEvent(string action) =>
        _values.TryGetValue("event", out var list) && list.Any(v => v is "health_status" or "exec_create" or "exec_start")
            ? Fuzzy("event", action)
            : Exact("event", action);

    private bool NameOrId(EngineEvent e, string type) =>
        !Has(type) || Fuzzy(type, e.ActorId) || (e.Attributes.TryGetValue("name", out var name) && Fuzzy(type, name));

    private bool MatchImage(EngineEvent e)
    {
        if (!Has("image"))
        {
            return true;
        }

        var name = e.Attributes.TryGetValue(e.Type == EngineEvent.ImageType ? "name" : "image", out var n) ? n : "";
        return Exact("image", e.ActorId) || Exact("image", name) || Exact("image", StripTag(e.ActorId)) || Exact("image", StripTag(name));
    }

    /// <summary>moby's stripTag: the repository of a reference with a tag (a digest reference is kept).</summary>
    private static string StripTag(string reference)
    {
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return reference;
        }

        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash && !reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference[..colon] : reference;
    }

    private bool MatchLabels(IReadOnlyDictionary<string, string> attributes)
    {
        if (!_values.TryGetValue("label", out var list))
        {
            return true;
        }

        foreach (var label in list)
        {
            var eq = label.IndexOf('=', StringComparison.Ordinal);
            var ok = eq < 0
                ? attributes.ContainsKey(label)
                : attributes.TryGetValue(label[..eq], out var value) && value == label[(eq + 1)..];
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
