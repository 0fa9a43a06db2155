namespace Anchor.Engine.Logs;

/// <summary>What <see cref="LogWindow"/> says of a line: before --since, in the window, or past --until (the end).</summary>
internal enum LogVerdict
{
    Skip,
    Show,
    Stop,
}
