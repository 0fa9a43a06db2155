using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor image prune [-a] [-f]</c>: removes dangling (with -a: unused) images, asking first unless -f.</summary>
public static class PruneImagesCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filters = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. \"until=<timestamp>\")" };
        var command = new Command("prune", "Remove unused images") { all, force, filters };
        command.SetAction(result =>
        {
            var everything = result.GetValue(all);
            var filter = Engine.Filters.PruneFilter.Parse(result.GetValue(filters) ?? [], DateTimeOffset.UtcNow);
            if (!result.GetValue(force))
            {
                Console.WriteLine(everything
                    ? "WARNING! This will remove all images without at least one container associated to them."
                    : "WARNING! This will remove all dangling images.");
                Console.Write("Are you sure you want to continue? [y/N] ");
                var answer = Console.ReadLine()?.Trim();
                if (answer is not ("y" or "Y" or "yes" or "Yes"))
                {
                    return 0;
                }
            }

            var (lines, reclaimed) = CliEngine.Of(result).ImageService.Prune(everything, filter);
            if (lines.Count > 0)
            {
                Console.WriteLine("Deleted Images:");
                foreach (var line in lines)
                {
                    Console.WriteLine(line);
                }

                Console.WriteLine();
            }

            Console.WriteLine($"Total reclaimed space: {ByteSize.Human(reclaimed)}");
            return 0;
        });
        return command;
    }
}
