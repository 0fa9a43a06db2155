namespace Anchor.Engine.Logs;

/// <summary>Where <see cref="LogReader"/> sends each line of the log; the spans are valid during the call only.</summary>
public interface ILogSink
{
    /// <summary>One line: its stream, its time as the log stores it (RFC 3339), its text with the newline.</summary>
    void Write(bool stderr, ReadOnlySpan<byte> time, ReadOnlySpan<byte> text);

    /// <summary>The reader has caught up with the log (and may wait for more): write out what is buffered.</summary>
    void Flush();
}
