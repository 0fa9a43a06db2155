using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Images;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor push NAME[:TAG]</c>.</summary>
public static class PushCommand
{
    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var image = new Argument<string>("NAME[:TAG]");
        var command = new Command(name, "Upload an image to a registry") { quiet, image };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            new RegistryService(engine.Images).Push(result.GetValue(image)!, result.GetValue(quiet) ? TextWriter.Null : Console.Out);
            return 0;
        });
        return command;
    }
}
