using System.Text.Json;
using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Output;

/// <summary>
/// What every inspect verb prints: with -f, the template once per object; otherwise docker's JSON
/// array with each object indented by four spaces (or <c>[]</c>).
/// </summary>
public static class InspectOutput
{
    /// <summary>
    /// docker/cli inspect.Inspect: a template that does not parse is exit 64 before anything is
    /// printed; one that fails on an object is reported after the others were printed, exit 1.
    /// Returns 0, 1 or 64.
    /// </summary>
    public static int Print(IReadOnlyList<string> documents, string? format, TextWriter output)
    {
        if (format is not null)
        {
            GoTemplate template;
            try
            {
                template = GoTemplate.Parse(format);
            }
            catch (TemplateException e)
            {
                Console.Error.WriteLine("template parsing error: " + e.Message);
                return TemplateParseError;
            }

            List<string> errors = [];
            foreach (var json in documents)
            {
                using var doc = JsonDocument.Parse(json);
                try
                {
                    output.Write(FormatOne(template, doc.RootElement));
                }
                catch (TemplateException e)
                {
                    errors.Add(e.Message);
                }
            }

            if (errors.Count > 0)
            {
                Console.Error.WriteLine(string.Join('\n', errors));
                return 1;
            }

            return 0;
        }

        output.WriteLine(documents.Count == 0 ? "[]" : "[\n" + string.Join(",\n", documents.Select(Indent)) + "\n]");
        return 0;
    }

    /// <summary>
    /// Over docker's types first (see <see cref="InspectTypes"/>); when that fails, over the raw
    /// JSON with missingkey=error, whose error is the one reported (docker/cli inspector.go).
    /// </summary>
    public static string FormatOne(GoTemplate template, JsonElement json)
    {
        if (InspectTypes.Typed(TemplateValue.FromJson(json)) is { } typed)
        {
            try
            {
                return template.Execute(typed) + "\n";
            }
            catch (TemplateException)
            {
                // the raw pass below reports it, as docker's tryRawInspectFallback does
            }
        }

        return TemplateFormatter.FormatInspect(template, TemplateValue.FromJson(json));
    }

    /// <summary>docker's exit status for an inspect template that does not parse (cli.StatusError 64).</summary>
    public const int TemplateParseError = 64;

    /// <summary>
    /// The inspect verbs of named objects (volume, network): each name that resolves is printed, each
    /// that does not is reported as docker does; exit code 1 if any failed.
    /// </summary>
    public static int PrintEach(IEnumerable<string> names, Func<string, string> toJson, string? format, TextWriter output)
    {
        var code = 0;
        var documents = new List<string>();
        foreach (var name in names)
        {
            try
            {
                documents.Add(toJson(name));
            }
            catch (Exception e) when (e is Anchor.Engine.EngineException or ClientSideException)
            {
                Console.Error.WriteLine(CliErrors.FromDaemon(CliErrors.TextOf(e)));
                code = 1;
            }
        }

        var printed = Print(documents, format, output);
        return printed == TemplateParseError ? printed : Math.Max(code, printed);
    }

    private static string Indent(string json) => "    " + json.Replace("\n", "\n    ", StringComparison.Ordinal);
}
