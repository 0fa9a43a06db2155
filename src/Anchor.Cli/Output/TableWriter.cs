using System.Text;

namespace Anchor.Cli.Output;

/// <summary>
/// docker's plain column layout (Go's tabwriter: minimum cell width 10, padding 3): no borders, no colours, no wrapping,
/// so scripts that cut and awk docker's output work on ours. Spectre.Console's tables draw
/// borders and wrap to the terminal width, which would break that.
/// </summary>
public sealed class TableWriter(params string[] headers)
{
    private const int Padding = 3;
    private const int MinWidth = 10;
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output, bool includeHeader = true)
    {
        var all = includeHeader ? _rows.Prepend(headers).ToList() : _rows;
        var widths = new int[headers.Length];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Length && i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var line = new StringBuilder();
        foreach (var row in all)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(row[i]);
                if (i < row.Length - 1)
                {
                    line.Append(' ', Math.Max(widths[i] + Padding, MinWidth) - row[i].Length);
                }
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
