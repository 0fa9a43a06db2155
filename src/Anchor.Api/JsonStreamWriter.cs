using System.Text;

namespace Anchor.Api;

/// <summary>
/// Text for docker's {"stream": …} messages: whole lines of a writer (build's step log); RUN
/// steps' output bytes go through <see cref="Output"/> into the same messages.
/// </summary>
public sealed class JsonStreamWriter(JsonMessageStream messages) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>A byte stream into the same messages, for <see cref="Anchor.Build.BuildRequest.RunOutput"/>.</summary>
    public Stream Output => new JsonStreamBytes(messages);

    public override void Write(char value)
    {
        _line.Append(value);
        if (value == '\n')
        {
            Flush();
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        _line.Append(value);
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            Flush();
        }
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            messages.Stream(_line.ToString());
            _line.Clear();
        }
    }

    protected override void Dispose(bool disposing)
    {
        Flush();
        base.Dispose(disposing);
    }
}
