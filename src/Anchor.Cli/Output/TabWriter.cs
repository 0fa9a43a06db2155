using System.Text;

namespace Anchor.Cli.Output;

/// <summary>
/// Go's text/tabwriter elastic tabstops, as docker/cli's fork (cli/command/formatter/tabwriter)
/// lays out <c>--format "table …"</c>: tab-terminated cells in contiguous lines form a column,
/// padded to the widest cell plus <c>padding</c> and to at least <c>minWidth</c>; the text after a
/// line's last tab is not part of any column. docker calls NewWriter(out, 10, 1, 3, ' ', 0).
/// Widths count runes (docker's fork uses go-runewidth, which gives East Asian wide characters 2).
/// </summary>
public sealed class TabWriter(int minWidth = 10, int padding = 3)
{
    private readonly List<List<string>> _lines = [];
    private readonly StringBuilder _output = new();

    /// <summary>Lays out <paramref name="text"/> with docker's table settings.</summary>
    public static string Format(string text, int minWidth = 10, int padding = 3) =>
        new TabWriter(minWidth, padding).Layout(text);

    public string Layout(string text)
    {
        _lines.Clear();
        _output.Clear();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split('\t').ToList();
            // The unterminated last line: an empty cell after its last tab does not exist yet.
            if (i == lines.Length - 1 && cells.Count > 1 && cells[^1].Length == 0)
            {
                cells.RemoveAt(cells.Count - 1);
            }

            _lines.Add(cells);
        }

        FormatBlock(0, _lines.Count, []);
        return _output.ToString();
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();

    private void FormatBlock(int line0, int line1, List<int> widths)
    {
        var column = widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= _lines[current].Count - 1)
            {
                continue;
            }

            // A cell exists in this column: print the lines before this block, then size the column.
            WriteLines(line0, current, widths);
            line0 = current;
            var width = minWidth;
            for (; current < line1; current++)
            {
                var line = _lines[current];
                if (column >= line.Count - 1)
                {
                    break;
                }

                width = Math.Max(width, Width(line[column]) + padding);
            }

            widths.Add(width);
            FormatBlock(line0, current, widths);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
        }

        WriteLines(line0, line1, widths);
    }

    private void WriteLines(int line0, int line1, List<int> widths)
    {
        for (var i = line0; i < line1; i++)
        {
            var line = _lines[i];
            for (var j = 0; j < line.Count; j++)
            {
                _output.Append(line[j]);
                if (j < widths.Count)
                {
                    _output.Append(' ', Math.Max(widths[j] - Width(line[j]), 0));
                }
            }

            if (i + 1 < _lines.Count)
            {
                _output.Append('\n');
            }
        }
    }
}
