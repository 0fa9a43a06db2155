using System.Globalization;

namespace Anchor.Engine.Monitor;

/// <summary>The hidden stage's command line: <c>anchor monitor ROOT RUNROOT ID READY_FD</c>.</summary>
public sealed record MonitorOptions(string Root, string RunRoot, string Id, int ReadyFd)
{
    public const string StageName = "monitor";

    public IReadOnlyList<string> ToArguments() =>
        [StageName, Root, RunRoot, Id, ReadyFd.ToString(CultureInfo.InvariantCulture)];

    public static MonitorOptions Parse(IReadOnlyList<string> args) =>
        args.Count == 5 && args[0] == StageName
            ? new MonitorOptions(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture))
            : throw new ArgumentException("usage: anchor monitor ROOT RUNROOT ID READY_FD (internal stage)");
}
