using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli;

/// <summary>
/// The one place the CLI composes the engine for a verb: the store the global options name, and
/// the CLI's own streams as the engine's progress sink (docker's CLI shows a pull's progress on
/// stderr, stdout being the container's or the verb's output).
/// </summary>
public static class CliEngine
{
    /// <summary>
    /// The namespace thread `anchor run` starts before its command line is parsed (AnchorCli): one
    /// per CLI process, which runs one verb; the engine's runner adopts it or ends it.
    /// </summary>
    public static readonly Anchor.Runtime.Launch.NamespacePrestart Prestart = new();

    public static AnchorEngine Of(ParseResult result) => new(GlobalOptions.Paths(result)) { Progress = Console.Error, Prestart = Prestart };
}
