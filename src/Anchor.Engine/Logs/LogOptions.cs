namespace Anchor.Engine.Logs;

/// <summary>
/// What <c>anchor logs</c> asks for: the last <paramref name="Tail"/> lines (null: all), then new
/// lines while the container runs (<paramref name="Follow"/>), limited to the lines stamped from
/// <paramref name="Since"/> and up to <paramref name="Until"/> (nanoseconds since the Unix epoch,
/// see <see cref="DockerTimestamp"/>).
/// </summary>
public sealed record LogOptions(int? Tail, bool Follow, Int128? Since = null, Int128? Until = null);
