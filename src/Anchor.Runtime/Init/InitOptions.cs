using System.Globalization;

namespace Anchor.Runtime.Init;

/// <summary>
/// The init stage's command line: <c>anchor init BUNDLE SYNC_FD REPORT_FD FLAGS SECCOMP_CACHE</c>, for a container
/// whose first process cannot be spawned directly (a kernel without procfs "pidns", or
/// ANCHOR_INIT_STAGE=1).
/// </summary>
public sealed record InitOptions(string Path, int SyncFd, int ReportFd, bool KeepStdin, bool Quiet = false, string? SeccompCache = null)
{
    public const string StageName = "init";

    public string BundleDirectory => Path;

    public IReadOnlyList<string> ToArguments() =>
    [
        StageName,
        Path,
        SyncFd.ToString(CultureInfo.InvariantCulture),
        ReportFd.ToString(CultureInfo.InvariantCulture),
        (KeepStdin ? "stdin" : "-") + (Quiet ? ",quiet" : ""),
        SeccompCache ?? "-",
    ];

    public static InitOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count != 6 || args[0] != StageName)
        {
            throw new ArgumentException("usage: anchor init BUNDLE SYNC_FD REPORT_FD FLAGS SECCOMP_CACHE (internal stage)");
        }

        return new InitOptions(
            args[1],
            int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture),
            args[4].Split(',').Contains("stdin"),
            args[4].Split(',').Contains("quiet"),
            args[5] == "-" ? null : args[5]);
    }
}
