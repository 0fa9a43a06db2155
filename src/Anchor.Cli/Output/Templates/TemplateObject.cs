using System.Collections;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// An ordered string-keyed map. Order is kept for <c>json</c> (docker's structs print their fields
/// in declaration order); <c>range</c> and <c>%v</c> sort keys as Go does for maps.
/// </summary>
public sealed class TemplateObject : IEnumerable<KeyValuePair<string, TemplateValue>>
{
    private readonly List<KeyValuePair<string, TemplateValue>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private HashSet<string>? _omitted;
    private string? _typeName;

    /// <summary>
    /// When set, the object stands for a Go struct of this type (e.g. <c>*formatter.ContainerContext</c>
    /// for <c>docker ps</c> rows): an unknown field is the error "can't evaluate field X in type T"
    /// instead of a missing map key.
    /// </summary>
    public string? TypeName { get => _typeName; init => _typeName = value; }

    /// <summary>
    /// Methods of the Go struct this object stands for, called with arguments from the template
    /// (docker's <c>{{.Label "tier"}}</c> on a ps row is ContainerContext.Label).
    /// </summary>
    public IReadOnlyDictionary<string, TemplateFunction>? Methods { get; init; }

    /// <summary>Marks a map decoded from JSON as one of docker's structs (see InspectTypes).</summary>
    internal void MarkStruct(string typeName) => _typeName ??= typeName;

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public TemplateValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set
        {
            if (_index.TryGetValue(key, out var i))
            {
                _entries[i] = new(key, value);
            }
            else
            {
                _index[key] = _entries.Count;
                _entries.Add(new(key, value));
            }
        }
    }

    public void Add(string key, TemplateValue value) => this[key] = value;

    /// <summary>
    /// A struct field with <c>json:",omitempty"</c> at its zero value: templates see it, <c>json</c>
    /// leaves it out (docker's typed inspect pass: <c>{{.Config.StopSignal}}</c> is "").
    /// </summary>
    internal void AddOmitted(string key, TemplateValue value)
    {
        this[key] = value;
        (_omitted ??= new(StringComparer.Ordinal)).Add(key);
    }

    internal bool IsOmitted(string key) => _omitted?.Contains(key) == true;

    public bool TryGetValue(string key, out TemplateValue value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _entries[i].Value;
            return true;
        }

        value = TemplateValue.Null;
        return false;
    }

    /// <summary>
    /// What <c>index</c> returns for a missing key: Go's zero value of the map's element type. A map
    /// whose values are all strings is docker's <c>map[string]string</c> (Labels, GraphDriver.Data),
    /// whose zero value is "" — so <c>{{index .Config.Labels "nope"}}</c> prints an empty line, as
    /// with docker — otherwise nil (printed &lt;no value&gt;).
    /// </summary>
    public TemplateValue MissingIndexValue =>
        _entries.TrueForAll(e => e.Value.Kind == TemplateValueKind.String) ? TemplateValue.EmptyString : TemplateValue.Null;

    /// <summary>Entries in Go's map order (keys sorted byte-wise, which ordinal order matches for UTF-16 outside surrogates).</summary>
    public IEnumerable<KeyValuePair<string, TemplateValue>> Sorted =>
        _entries.OrderBy(e => e.Key, StringComparer.Ordinal);

    public IEnumerator<KeyValuePair<string, TemplateValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
