using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Images;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor pull [-q] [--platform OS/ARCH] NAME[:TAG|@DIGEST]</c>.</summary>
public static class PullCommand
{
    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable" };
        var image = new Argument<string>("NAME[:TAG|@DIGEST]");
        var command = new Command(name, "Download an image from a registry") { quiet, platform, image };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            // On a terminal, docker's live per-layer display; otherwise one line per event.
            IPullView? view = Console.IsOutputRedirected ? null : new Output.TerminalPullView(Console.Out);
            new RegistryService(engine.Images).Pull(result.GetValue(image)!, result.GetValue(platform), Console.Out, result.GetValue(quiet), view: view);
            return 0;
        });
        return command;
    }
}
