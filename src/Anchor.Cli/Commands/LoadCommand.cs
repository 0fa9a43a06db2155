using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor load [-i FILE] [-q]</c>: a docker-archive (docker save) or OCI archive.</summary>
public static class LoadCommand
{
    public static Command Create(string name)
    {
        var input = new Option<string?>("--input", "-i") { Description = "Read from tar archive file, instead of STDIN" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the load output" };
        var command = new Command(name, "Load an image from a tar archive or STDIN") { input, quiet };
        command.SetAction(result =>
        {
            var service = CliEngine.Of(result).ImageService;
            var path = result.GetValue(input);
            if (path is null && !Console.IsInputRedirected)
            {
                throw new EngineException("requested load from stdin, but stdin is empty");
            }

            using var stream = path is null ? Console.OpenStandardInput() : ImportCommand.OpenFile(path);
            // -q drops only the daemon's progress (which anchor does not draw): docker's daemon
            // still sends "Loaded image: NAME" (image/tarexport/load.go), and the client prints it.
            _ = result.GetValue(quiet);
            foreach (var line in service.Load(stream))
            {
                Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }
}
