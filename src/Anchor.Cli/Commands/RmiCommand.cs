using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor rmi [-f] IMAGE...</c>: untag or delete, printing docker's Untagged/Deleted lines.</summary>
public static class RmiCommand
{
    public static Command Create(string name)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image" };
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Remove one or more images") { force, images };
        command.SetAction(result =>
        {
            var service = CliEngine.Of(result).ImageService;
            // docker/cli image/remove.go: every image is tried; the errors are printed together at
            // the end, the client's "Error: No such image: x" for a missing one. With -f, missing
            // images alone do not fail the command (exit 0); any other error does (exit 1).
            List<string> errors = [];
            var fatal = false;
            foreach (var image in result.GetValue(images)!)
            {
                try
                {
                    foreach (var line in service.Remove(image, result.GetValue(force)))
                    {
                        Console.WriteLine(line);
                    }
                }
                catch (Exception e) when (e is EngineException or Anchor.Images.ImageException)
                {
                    var text = Anchor.Linux.ErrorText.Scrub(e.Message);
                    var missing = e is Anchor.Images.ImageNotFoundException || text.StartsWith("No such image: ", StringComparison.Ordinal);
                    fatal |= !missing;
                    errors.Add(missing ? "Error: " + text : CliErrors.FromDaemon(text));
                }
            }

            if (errors.Count == 0)
            {
                return 0;
            }

            Console.Error.WriteLine(string.Join('\n', errors));
            return fatal || !result.GetValue(force) ? 1 : 0;
        });
        return command;
    }
}
