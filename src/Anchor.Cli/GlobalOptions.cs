using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli;

/// <summary>Options every verb accepts, before or after the verb.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Root = new("--root")
    {
        Description = $"Store root (default {AnchorPaths.DefaultRoot}, or ANCHOR_ROOT)",
        Recursive = true,
    };

    public static readonly Option<string?> RunRoot = new("--runroot")
    {
        Description = $"Runtime state root (default {AnchorPaths.DefaultRunRoot}, or ANCHOR_RUNROOT)",
        Recursive = true,
    };

    public static readonly Option<bool> Debug = new("--debug", "-D")
    {
        Description = "Print stack traces of failures",
        Recursive = true,
    };

    public static AnchorPaths Paths(ParseResult result) =>
        AnchorPaths.Resolve(result.GetValue(Root), result.GetValue(RunRoot));
}
