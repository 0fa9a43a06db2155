using System.Globalization;

namespace Anchor.Runtime.Init;

/// <summary>The hidden stage's command line: <c>anchor init BUNDLE SYNC_FD REPORT_FD FLAGS</c>.</summary>
public sealed record InitOptions(string BundleDirectory, int SyncFd, int ReportFd, bool KeepStdin)
{
    public const string StageName = "init";

    public IReadOnlyList<string> ToArguments() =>
        [StageName, BundleDirectory, SyncFd.ToString(CultureInfo.InvariantCulture), ReportFd.ToString(CultureInfo.InvariantCulture), KeepStdin ? "stdin" : "-"];

    public static InitOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count != 5 || args[0] != StageName)
        {
            throw new ArgumentException("usage: anchor init BUNDLE SYNC_FD REPORT_FD FLAGS (internal stage)");
        }

        return new InitOptions(
            args[1],
            int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture),
            args[4] == "stdin");
    }
}
