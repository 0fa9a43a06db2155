using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor diff CONTAINER</c>: A (added), C (changed), D (deleted) lines, as docker prints them.</summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER");
        var command = new Command("diff", "Inspect changes to files or directories on a container's filesystem") { container };
        command.SetAction(result =>
        {
            foreach (var change in CliEngine.Of(result).Changes.Diff(result.GetValue(container)!))
            {
                Console.WriteLine($"{change.Kind} {change.Path}");
            }

            return 0;
        });
        return command;
    }
}
