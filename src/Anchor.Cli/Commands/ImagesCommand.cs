using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor images [-q] [--no-trunc] [--filter K=V] [--format F|json] [REPOSITORY[:TAG]]</c> in docker's columns.</summary>
public static class ImagesCommand
{
    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        // Anchor keeps no intermediate build images, so -a lists the same images.
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (default hides intermediate images)" };
        var digests = new Option<bool>("--digests") { Description = "Show digests" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided" };
        var filter = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "List images") { quiet, noTrunc, all, digests, format, filters, filter };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var rows = engine.ImageService.List(result.GetValue(filter), result.GetValue(filters) ?? []);
            var truncate = !result.GetValue(noTrunc);
            if (result.GetValue(quiet))
            {
                foreach (var id in rows.Select(r => r.Id).Distinct())
                {
                    Console.WriteLine(truncate ? id.Short : id.ToString());
                }

                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            if (result.GetValue(format) is { } template && template != "table")
            {
                var formatter = TemplateFormatter.Create(template, DockerHeaders.Images());
                foreach (var row in rows)
                {
                    // docker's --format json marshals the row as a Go map: keys in sorted order, and
                    // what the daemon leaves unset unless asked (Containers, SharedSize, UniqueSize) as N/A.
                    formatter.Add(new TemplateObject
                    {
                        TypeName = "*formatter.ImageContext",
                        ["Containers"] = "N/A",
                        ["CreatedAt"] = row.Created?.ToString("yyyy-MM-dd HH:mm:ss +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                        ["CreatedSince"] = row.Created is { } c ? RelativeTime.Ago(c, now) : "N/A",
                        ["Digest"] = row.Digest,
                        ["ID"] = truncate ? row.Id.Short : row.Id.ToString(),
                        ["Repository"] = row.Repository,
                        ["SharedSize"] = "N/A",
                        ["Size"] = ByteSize.Human(row.Size),
                        ["Tag"] = row.Tag,
                        ["UniqueSize"] = "N/A",
                        ["VirtualSize"] = ByteSize.Human(row.Size),
                    });
                }

                Console.Out.Write(formatter.Render());
                return 0;
            }

            var withDigests = result.GetValue(digests);
            var table = withDigests
                ? new TableWriter("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new TableWriter("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            foreach (var row in rows)
            {
                string[] names = withDigests ? [row.Repository, row.Tag, row.Digest] : [row.Repository, row.Tag];
                table.Add(
                    [.. names,
                    truncate ? row.Id.Short : row.Id.ToString(),
                    row.Created is { } created ? RelativeTime.Ago(created, now) : "N/A",
                    ByteSize.Human(row.Size)]);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }
}
