using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor history [-q] [--no-trunc] [-H] IMAGE</c> in docker's columns.</summary>
public static class HistoryCommand
{
    private const int CreatedByWidth = 45;

    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var image = new Argument<string>("IMAGE");
        var command = new Command(name, "Show the history of an image") { quiet, noTrunc, human, image };
        command.SetAction(result =>
        {
            var rows = new AnchorEngine(GlobalOptions.Paths(result)).ImageService.History(result.GetValue(image)!);
            if (result.GetValue(quiet))
            {
                foreach (var row in rows)
                {
                    Console.WriteLine(row.Id);
                }

                return 0;
            }

            var truncate = !result.GetValue(noTrunc);
            var table = new TableWriter("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            var now = DateTimeOffset.UtcNow;
            foreach (var row in rows)
            {
                var createdBy = row.CreatedBy.Replace('\t', ' ').Replace('\n', ' ');
                if (truncate && createdBy.Length > CreatedByWidth)
                {
                    createdBy = createdBy[..(CreatedByWidth - 1)] + "…";
                }

                table.Add(
                    row.Id,
                    row.Created is { } created ? RelativeTime.Ago(created, now) : "N/A",
                    createdBy,
                    result.GetValue(human) ? ByteSize.Human(row.Size) : row.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    row.Comment);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }
}
