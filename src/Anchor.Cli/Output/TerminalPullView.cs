using System.Text;
using Anchor.Engine.Images;
using Anchor.Engine.Units;

namespace Anchor.Cli.Output;

/// <summary>
/// docker pull's live display on a terminal: one line per layer, redrawn in place with ANSI cursor
/// movement, a 50-column bar and byte counts while a layer downloads
/// (<c>a1b2c3d4e5f6: Downloading [=====&gt;      ]  12.3MB/51.5MB</c>). Byte updates are drawn at most
/// ten times a second.
/// </summary>
public sealed class TerminalPullView(TextWriter output) : IPullView
{
    private const int BarWidth = 50;
    private readonly Lock _gate = new();
    private readonly List<(string Id, string Text)> _rows = [];
    private int _drawn;
    private long _lastDraw;

    public void Line(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
            _rows.Clear();
            _drawn = 0;
        }
    }

    public void Status(string id, string status)
    {
        lock (_gate)
        {
            Set(id, status);
            Draw();
        }
    }

    public void Downloaded(string id, long bytes, long total)
    {
        lock (_gate)
        {
            // Only layers announced by a status get a row (docker shows no row for the config blob).
            if (_rows.FindIndex(r => r.Id == id) < 0)
            {
                return;
            }

            Set(id, $"Downloading {Bar(bytes, total)}");
            var now = Environment.TickCount64;
            if (now - _lastDraw >= 100)
            {
                Draw();
            }
        }
    }

    /// <summary>
    /// docker's progress bar (moby pkg/jsonmessage): <c>[</c>, one '=' per 2 %, <c>&gt;</c>, spaces up to
    /// 50, <c>] </c>, then the bytes right-aligned in 8 columns, <c>/</c>, the total.
    /// </summary>
    public static string Bar(long bytes, long total)
    {
        if (total <= 0)
        {
            return ByteSize.Human(bytes);
        }

        var percent = (int)Math.Min(100, bytes * 100 / total) / 2;
        return $"[{new string('=', percent)}>{new string(' ', BarWidth - percent)}] {ByteSize.Human(bytes),8}/{ByteSize.Human(total)}";
    }

    private void Set(string id, string text)
    {
        var index = _rows.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            _rows.Add((id, text));
        }
        else
        {
            _rows[index] = (id, text);
        }
    }

    private void Draw()
    {
        var frame = new StringBuilder();
        if (_drawn > 0)
        {
            frame.Append("\u001b[").Append(_drawn).Append('A');
        }

        foreach (var (id, text) in _rows)
        {
            frame.Append("\r\u001b[2K").Append(id).Append(": ").Append(text).Append('\n');
        }

        output.Write(frame.ToString());
        output.Flush();
        _drawn = _rows.Count;
        _lastDraw = Environment.TickCount64;
    }
}
