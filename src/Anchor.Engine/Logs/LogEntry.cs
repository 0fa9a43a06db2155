namespace Anchor.Engine.Logs;

/// <summary>One json-file log line: which stream, when, and the bytes (with their newline).</summary>
public sealed record LogEntry(string Stream, string Time, string Text);
