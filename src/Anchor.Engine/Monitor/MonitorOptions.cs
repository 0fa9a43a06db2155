using System.Globalization;

namespace Anchor.Engine.Monitor;

/// <summary>
/// The hidden stage's command line: <c>anchor monitor ROOT RUNROOT ID READY_FD [ATTACH_FD]</c>.
/// ATTACH_FD is a connected attach socket (start -a) adopted before the container starts.
/// </summary>
public sealed record MonitorOptions(string Root, string RunRoot, string Id, int ReadyFd, int AttachFd = -1)
{
    public const string StageName = "monitor";

    public IReadOnlyList<string> ToArguments() =>
        AttachFd < 0
            ? [StageName, Root, RunRoot, Id, ReadyFd.ToString(CultureInfo.InvariantCulture)]
            : [StageName, Root, RunRoot, Id, ReadyFd.ToString(CultureInfo.InvariantCulture), AttachFd.ToString(CultureInfo.InvariantCulture)];

    public static MonitorOptions Parse(IReadOnlyList<string> args) =>
        args.Count is 5 or 6 && args[0] == StageName
            ? new MonitorOptions(
                args[1],
                args[2],
                args[3],
                int.Parse(args[4], CultureInfo.InvariantCulture),
                args.Count == 6 ? int.Parse(args[5], CultureInfo.InvariantCulture) : -1)
            : throw new ArgumentException("usage: anchor monitor ROOT RUNROOT ID READY_FD [ATTACH_FD] (internal stage)");
}
