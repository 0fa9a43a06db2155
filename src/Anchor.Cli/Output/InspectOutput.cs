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

    private static string Indent(string json) => "    " + json.Replace("\n", "\n    ", StringComparison.Ordinal);
}
