using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Images;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor history [-q] [--no-trunc] [-H] IMAGE</c> in docker's columns.</summary>
public static class HistoryCommand
{
    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var image = new Argument<string>("IMAGE");
        var command = new Command(name, "Show the history of an image") { quiet, noTrunc, human, image };
        command.SetAction(result =>
        {
            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            var rows = ImageHistory.Of(engine.Images, result.GetValue(image)!);
            var truncate = !result.GetValue(noTrunc);
            string Id(string? id) => id is null ? "<missing>" : truncate ? ImageHistory.ShortId(id) : id;
            if (result.GetValue(quiet))
            {
                foreach (var row in rows)
                {
                    Console.WriteLine(Id(row.Image));
                }

                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            var readable = result.GetValue(human);
            var table = new TableWriter("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            foreach (var row in rows)
            {
                table.Add(
                    Id(row.Image),
                    Created(row.Created, readable, now),
                    truncate ? ImageHistory.Truncate(row.CreatedBy) : row.CreatedBy,
                    readable ? ByteSize.Human(row.Size) : row.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    row.Comment);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// docker/cli formatter_history.go: a time up to 2000-01-01 (an import's or a reproducible
    /// build's epoch, or none) is "N/A" in human form; -H=false prints RFC 3339 (Go's zero time when unset).
    /// </summary>
    private static string Created(DateTimeOffset? created, bool readable, DateTimeOffset now)
    {
        if (!readable)
        {
            return (created ?? DateTimeOffset.MinValue).ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        }

        return created is { } t && t > Epoch ? RelativeTime.Ago(t, now) : "N/A";
    }

    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
