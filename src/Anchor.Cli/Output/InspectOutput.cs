using System.Text.Json;
using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Output;

/// <summary>
/// What every inspect verb prints: with -f, the template once per object; otherwise docker's JSON
/// array with each object indented by four spaces (or <c>[]</c>).
/// </summary>
public static class InspectOutput
{
    public static void Print(IReadOnlyList<string> documents, string? format, TextWriter output)
    {
        if (format is not null)
        {
            foreach (var json in documents)
            {
                using var doc = JsonDocument.Parse(json);
                output.Write(TemplateFormatter.FormatInspect(format, TemplateValue.FromJson(doc.RootElement)));
            }

            return;
        }

        output.WriteLine(documents.Count == 0 ? "[]" : "[\n" + string.Join(",\n", documents.Select(Indent)) + "\n]");
    }

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
            catch (Anchor.Engine.EngineException e)
            {
                Console.Error.WriteLine($"Error response from daemon: {Anchor.Linux.ErrorText.Scrub(e.Message)}");
                code = 1;
            }
        }

        Print(documents, format, output);
        return code;
    }

    private static string Indent(string json) => "    " + json.Replace("\n", "\n    ", StringComparison.Ordinal);
}
