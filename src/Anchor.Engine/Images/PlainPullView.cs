namespace Anchor.Engine.Images;

/// <summary>docker pull's output when not on a terminal: one line per layer event, no byte counts.</summary>
public sealed class PlainPullView(TextWriter output) : IPullView
{
    private readonly TextWriter _output = TextWriter.Synchronized(output);

    public void Line(string text) => _output.WriteLine(text);

    public void Status(string id, string status) => _output.WriteLine($"{id}: {status}");

    public void Downloaded(string id, long bytes, long total)
    {
    }
}
