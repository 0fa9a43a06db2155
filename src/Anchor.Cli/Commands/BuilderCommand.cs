using System.CommandLine;
using Anchor.Build.Cache;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor builder prune [-a] [-f]</c> (docker's <c>builder prune</c>): removes the build cache,
/// RUN cache mounts included, asking first unless -f. Anchor keeps no cache that is in use by an
/// image, so <c>-a</c> removes the same as without it.
/// </summary>
public static class BuilderCommand
{
    public static Command Create()
    {
        var command = new Command("builder", "Manage builds");
        command.Subcommands.Add(Prune());
        return command;
    }

    private static Command Prune()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused build cache, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove build cache") { all, force };
        command.SetAction(result =>
        {
            if (!result.GetValue(force))
            {
                Console.Write(result.GetValue(all)
                    ? "WARNING! This will remove all build cache. Are you sure you want to continue? [y/N] "
                    : "WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ");
                if (Console.ReadLine()?.Trim() is not ("y" or "Y" or "yes" or "Yes"))
                {
                    return 0;
                }
            }

            var engine = CliEngine.Of(result);
            (IReadOnlyList<string> Removed, long Reclaimed) pruned;
            using (engine.Images.BeginWrite())
            {
                pruned = BuildCachePrune.Prune(engine.Images);
            }

            if (pruned.Removed.Count > 0)
            {
                Console.WriteLine("Deleted build cache objects:");
                foreach (var id in pruned.Removed)
                {
                    Console.WriteLine(id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id);
                }

                Console.WriteLine();
            }

            Console.WriteLine($"Total reclaimed space: {ByteSize.HumanFour(pruned.Reclaimed)}");
            return 0;
        });
        return command;
    }
}
