using System.Text;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// docker's <c>--format</c> handling for list commands (docker/cli cli/command/formatter/formatter.go
/// Context): <c>table …</c> adds a header row and aligns the tab-separated columns, <c>json</c> is
/// <c>{{json .}}</c> per line, anything else is a template printed once per row followed by a
/// newline. The two-character sequences <c>\t</c> and <c>\n</c> in the format become a tab and a
/// newline. Errors carry docker's "template parsing error: " prefix.
/// <code>
/// var f = TemplateFormatter.Create(format, DockerHeaders.Containers());
/// foreach (var row in rows) f.Add(row);
/// Console.Out.Write(f.Render());
/// </code>
/// </summary>
public sealed class TemplateFormatter
{
    private const string TableKey = "table";
    private const string ErrorPrefix = "template parsing error: ";

    private readonly GoTemplate _template;
    private readonly TemplateObject _headers;
    private readonly StringBuilder _rows = new();

    private TemplateFormatter(GoTemplate template, TemplateObject headers, bool isTable, bool isJson)
    {
        _template = template;
        _headers = headers;
        IsTable = isTable;
        IsJson = isJson;
    }

    public bool IsTable { get; }

    public bool IsJson { get; }

    /// <summary>Parses <paramref name="format"/>; throws <see cref="TemplateException"/> "template parsing error: …".</summary>
    public static TemplateFormatter Create(string format, TemplateObject? headers = null)
    {
        var isTable = format.StartsWith(TableKey, StringComparison.Ordinal);
        var isJson = !isTable && format == "json";
        var text = isTable ? format[TableKey.Length..] : isJson ? "{{json .}}" : format;
        text = text.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        try
        {
            return new TemplateFormatter(GoTemplate.Parse(text), headers ?? new TemplateObject(), isTable, isJson);
        }
        catch (TemplateException e)
        {
            throw new TemplateException(ErrorPrefix + e.Message, e);
        }
    }

    /// <summary>Renders one row; throws <see cref="TemplateException"/> "template parsing error: …".</summary>
    public void Add(TemplateValue row)
    {
        try
        {
            _rows.Append(_template.Execute(row)).Append('\n');
        }
        catch (TemplateException e)
        {
            throw new TemplateException(ErrorPrefix + e.Message, e);
        }
    }

    /// <summary>The whole output: header and aligned columns for tables, the rows otherwise.</summary>
    public string Render()
    {
        if (!IsTable)
        {
            return _rows.ToString();
        }

        // docker ignores errors of the header pass and keeps what it printed (postFormat).
        var header = new StringBuilder();
        try
        {
            _template.ExecuteHeader(header, _headers);
        }
        catch (TemplateException)
        {
        }

        return TabWriter.Format(header.Append('\n').Append(_rows).ToString());
    }

    /// <summary>
    /// <c>docker inspect -f</c> for one object: the template over the object's JSON with
    /// missingkey=error (docker's raw fallback, so <c>{{.Nope}}</c> is "map has no entry for key"),
    /// followed by a newline. The <c>\t</c>/<c>\n</c> replacement does not apply to inspect.
    /// </summary>
    public static string FormatInspect(string format, TemplateValue value) => FormatInspect(ParseInspect(format), value);

    /// <summary>Parses an inspect template; throws <see cref="TemplateException"/> "template parsing error: …".</summary>
    public static GoTemplate ParseInspect(string format)
    {
        try
        {
            return GoTemplate.Parse(format);
        }
        catch (TemplateException e)
        {
            throw new TemplateException(ErrorPrefix + e.Message, e);
        }
    }

    /// <summary>
    /// <c>docker info -f</c> and <c>docker version -f</c>: the template runs over a Go struct
    /// (system.info, system.versionInfo) whose type <paramref name="value"/> names, and docker
    /// prints an execution error as text/template words it, without a prefix. A template named
    /// <paramref name="name"/> (version's is "version") shows the name in its errors.
    /// </summary>
    public static string FormatStruct(string format, TemplateValue value, string name = "")
    {
        var template = ParseInspect(format);
        try
        {
            return template.Execute(value, MissingKeyMode.Error) + "\n";
        }
        catch (TemplateException e) when (name.Length > 0)
        {
            // text/template prints "template: NAME:LINE:COL: executing "NAME" at ..." (exec.go errorf).
            var message = e.Message.StartsWith("template: :", StringComparison.Ordinal) ? $"template: {name}:" + e.Message["template: :".Length..] : e.Message;
            throw new TemplateException(message.Replace("executing \"\"", $"executing \"{name}\"", StringComparison.Ordinal), e);
        }
    }

    /// <summary><c>docker inspect -f</c> for one object with a parsed template.</summary>
    public static string FormatInspect(GoTemplate template, TemplateValue value)
    {
        try
        {
            return template.Execute(value, MissingKeyMode.Error) + "\n";
        }
        catch (TemplateException e)
        {
            throw new TemplateException(ErrorPrefix + e.Message, e);
        }
    }
}
