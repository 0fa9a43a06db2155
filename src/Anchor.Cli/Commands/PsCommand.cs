using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor ps [-a] [-q] [--no-trunc]</c> in docker's columns.</summary>
public static class PsCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var command = new Command("ps", "List containers") { all, quiet, noTrunc };
        command.SetAction(result =>
        {
            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            var truncate = !result.GetValue(noTrunc);
            var containers = engine.Containers.List()
                .Where(c => result.GetValue(all) || c.Status == ContainerStatus.Running)
                .OrderByDescending(c => c.Created)
                .ToList();
            if (result.GetValue(quiet))
            {
                foreach (var c in containers)
                {
                    Console.WriteLine(truncate ? c.Id[..12] : c.Id);
                }

                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            var table = new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
            foreach (var c in containers)
            {
                var cmd = string.Join(' ', c.Command);
                if (truncate && cmd.Length > 20)
                {
                    cmd = cmd[..19] + "…";
                }

                table.Add(truncate ? c.Id[..12] : c.Id, c.Image, $"\"{cmd}\"", RelativeTime.Ago(c.Created, now), Status(c, now), "", c.Name);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }

    private static string Status(ContainerRecord c, DateTimeOffset now) => c.Status switch
    {
        ContainerStatus.Running when c.StartedAt is { } s => "Up " + RelativeTime.Human(now - s),
        ContainerStatus.Exited when c.FinishedAt is { } f => $"Exited ({c.ExitCode}) {RelativeTime.Ago(f, now)}",
        ContainerStatus.Created => "Created",
        var other => other.ToString(),
    };
}
