using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor container prune [-f]</c>: removes every stopped container.</summary>
public static class PruneCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove all stopped containers") { force };
        command.SetAction(result =>
        {
            var removed = new AnchorEngine(GlobalOptions.Paths(result)).Lifecycle.Prune();
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Containers:");
                foreach (var id in removed)
                {
                    Console.WriteLine(id);
                }

                Console.WriteLine();
            }

            Console.WriteLine("Total reclaimed space: 0B");
            return 0;
        });
        return command;
    }
}
