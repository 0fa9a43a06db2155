using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Containers;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor container prune [-f]</c>: removes every stopped container.</summary>
public static class PruneCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filters = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. \"until=<timestamp>\")" };
        var command = new Command("prune", "Remove all stopped containers") { force, filters };
        command.SetAction(result =>
        {
            var filter = Engine.Filters.PruneFilter.Parse(result.GetValue(filters) ?? [], DateTimeOffset.UtcNow);
            var engine = CliEngine.Of(result);
            var labels = ContainerFilterLookups.Of(engine.Images, engine.Containers).Labels;
            var removed = engine.Lifecycle.Prune(filter, labels);
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
