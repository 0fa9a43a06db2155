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
            var service = new AnchorEngine(GlobalOptions.Paths(result)).ImageService;
            var code = 0;
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
                    // docker goes on with the other images and exits 1 at the end.
                    Console.Error.WriteLine($"Error response from daemon: {Anchor.Linux.ErrorText.Scrub(e.Message)}");
                    code = 1;
                }
            }

            return code;
        });
        return command;
    }
}
