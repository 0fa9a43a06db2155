using System.Globalization;

namespace Anchor.Runtime.Init;

/// <summary>
/// The hidden stages' command line: <c>anchor init BUNDLE SYNC_FD REPORT_FD FLAGS</c> for a new
/// container, <c>anchor exec-init PROCESS_JSON SYNC_FD REPORT_FD FLAGS PID</c> for a process that
/// joins the running container whose init is PID (host view).
/// </summary>
public sealed record InitOptions(string Path, int SyncFd, int ReportFd, bool KeepStdin, int JoinPid = 0, bool Detached = false)
{
    public const string StageName = "init";
    public const string ExecStageName = "exec-init";

    public string BundleDirectory => Path;

    public bool IsExec => JoinPid > 0;

    public IReadOnlyList<string> ToArguments()
    {
        List<string> args =
        [
            IsExec ? ExecStageName : StageName,
            Path,
            SyncFd.ToString(CultureInfo.InvariantCulture),
            ReportFd.ToString(CultureInfo.InvariantCulture),
            Detached ? "detached" : KeepStdin ? "stdin" : "-",
        ];
        if (IsExec)
        {
            args.Add(JoinPid.ToString(CultureInfo.InvariantCulture));
        }

        return args;
    }

    public static InitOptions Parse(IReadOnlyList<string> args)
    {
        var exec = args.Count == 6 && args[0] == ExecStageName;
        if (!exec && (args.Count != 5 || args[0] != StageName))
        {
            throw new ArgumentException("usage: anchor init BUNDLE SYNC_FD REPORT_FD FLAGS (internal stage)");
        }

        return new InitOptions(
            args[1],
            int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture),
            args[4] == "stdin",
            exec ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0,
            args[4] == "detached");
    }
}
