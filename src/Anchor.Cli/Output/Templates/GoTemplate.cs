using System.Text;
using Anchor.Cli.Output.Templates.Nodes;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// A parsed Go text/template, as docker's <c>--format</c> and <c>inspect -f</c> accept
/// (pkg.go.dev/text/template; docker docs "Format command and log output"). Parse once, execute
/// against any number of values:
/// <code>var t = GoTemplate.Parse("{{.State.ExitCode}}"); var s = t.Execute(TemplateValue.FromJson(doc));</code>
/// </summary>
public sealed class GoTemplate
{
    private readonly ListNode _root;

    private GoTemplate(string source, ListNode root)
    {
        Source = source;
        _root = root;
    }

    public string Source { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="TemplateException"/> with Go's message.</summary>
    public static GoTemplate Parse(string text) => new(text, TemplateParser.Parse(text));

    /// <summary>Renders the template; throws <see cref="TemplateException"/> with Go's message.</summary>
    public string Execute(TemplateValue data, MissingKeyMode missingKey = MissingKeyMode.Default)
    {
        var output = new StringBuilder();
        Execute(output, data, missingKey);
        return output.ToString();
    }

    /// <summary>
    /// Renders into <paramref name="output"/>. On error, what was rendered before it stays in
    /// <paramref name="output"/>, as Go's Execute leaves it in its writer.
    /// </summary>
    public void Execute(StringBuilder output, TemplateValue data, MissingKeyMode missingKey = MissingKeyMode.Default) =>
        new TemplateExecutor(Source, output, missingKey, header: false).Execute(_root, data);

    /// <summary>Renders a table header: docker's HeaderFunctions replace json, join, upper … (see TemplateFunctions).</summary>
    internal void ExecuteHeader(StringBuilder output, TemplateValue headers) =>
        new TemplateExecutor(Source, output, MissingKeyMode.Default, header: true).Execute(_root, headers);
}
