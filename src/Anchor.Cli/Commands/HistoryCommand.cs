using System.CommandLine;
using System.Globalization;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Images;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor history [-q] [--no-trunc] [-H] [--format F] IMAGE</c> in docker's columns.</summary>
public static class HistoryCommand
{
    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template ('table', 'table TEMPLATE', 'json', 'TEMPLATE')" };
        var image = new Argument<string>("IMAGE");
        var command = new Command(name, "Show the history of an image") { quiet, noTrunc, human, format, image };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
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
            string Size(HistoryRow row) => readable ? ByteSize.Human(row.Size) : row.Size.ToString(CultureInfo.InvariantCulture);
            if (result.GetValue(format) is { } template && template != "table")
            {
                // docker's historyContext; json marshals it as a Go map (sorted keys).
                var formatter = TemplateFormatter.Create(template, DockerHeaders.Build(
                    ("Comment", "COMMENT"), ("CreatedAt", "CREATED AT"), ("CreatedBy", "CREATED BY"), ("CreatedSince", "CREATED"), ("ID", "IMAGE"), ("Size", "SIZE")));
                foreach (var row in rows)
                {
                    formatter.Add(new TemplateObject
                    {
                        TypeName = "*image.historyContext",
                        ["Comment"] = row.Comment,
                        ["CreatedAt"] = row.Created is { } at ? Rfc3339(at.ToLocalTime()) : "N/A",
                        ["CreatedBy"] = truncate ? ImageHistory.Truncate(row.CreatedBy) : row.CreatedBy,
                        ["CreatedSince"] = Created(row.Created, readable: true, now),
                        ["ID"] = Id(row.Image),
                        ["Size"] = Size(row),
                    });
                }

                Console.Out.Write(formatter.Render());
                return 0;
            }

            var table = new TableWriter("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            foreach (var row in rows)
            {
                table.Add(
                    Id(row.Image),
                    Created(row.Created, readable, now),
                    truncate ? ImageHistory.Truncate(row.CreatedBy) : row.CreatedBy,
                    Size(row),
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

    /// <summary>Go's time.RFC3339 of local time, as docker's historyContext.CreatedAt: "Z" for a zero offset.</summary>
    private static string Rfc3339(DateTimeOffset time) =>
        time.ToString(time.Offset == TimeSpan.Zero ? "yyyy-MM-ddTHH:mm:ss'Z'" : "yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
