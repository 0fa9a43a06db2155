using System.CommandLine;
using System.Text.Json;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Volumes;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor volume create|ls|inspect|rm|prune</c>.</summary>
public static class VolumeCommand
{
    public static Command Create() => new("volume", "Manage volumes")
    {
        CreateVolume(), List(), Inspect(), Remove(), Prune(),
    };

    private static Command CreateVolume()
    {
        var labels = new Option<string[]>("--label") { Description = "Set metadata for a volume" };
        var driver = new Option<string>("--driver", "-d") { Description = "Specify volume driver name", DefaultValueFactory = _ => "local" };
        var name = new Argument<string?>("VOLUME") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("create", "Create a volume") { labels, driver, name };
        command.SetAction(result =>
        {
            VolumeService.RequireLocalDriver(result.GetValue(driver), result.GetValue(name));
            var labelMap = (result.GetValue(labels) ?? []).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
            Console.WriteLine(Service(result).Create(result.GetValue(name), labelMap.Count > 0 ? labelMap : null).Name);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display volume names" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Provide filter values (e.g. \"dangling=true\")" };
        var command = new Command("ls", "List volumes") { quiet, format, filters };
        command.Aliases.Add("list");
        command.SetAction(result =>
        {
            var volumes = Service(result).List(result.GetValue(filters) ?? []);
            if (result.GetValue(quiet))
            {
                foreach (var v in volumes)
                {
                    Console.WriteLine(v.Name);
                }

                return 0;
            }

            if (result.GetValue(format) is { } template && template != "table")
            {
                var formatter = TemplateFormatter.Create(template, DockerHeaders.Volumes());
                foreach (var v in volumes)
                {
                    formatter.Add(new TemplateObject { ["Name"] = v.Name, ["Driver"] = v.Driver, ["Mountpoint"] = v.Mountpoint, ["Scope"] = "local" });
                }

                Console.Out.Write(formatter.Render());
                return 0;
            }

            var table = new TableWriter("DRIVER", "VOLUME NAME");
            foreach (var v in volumes)
            {
                table.Add(v.Driver, v.Name);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }

    private static Command Inspect()
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a custom template" };
        var names = new Argument<string[]>("VOLUME") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("inspect", "Display detailed information on one or more volumes") { format, names };
        command.SetAction(result =>
        {
            var service = Service(result);
            return InspectOutput.PrintEach(result.GetValue(names)!, name => ToJson(ClientSideException.NotFoundAs("volume", name, () => service.Get(name))), result.GetValue(format), Console.Out);
        });
        return command;
    }

    private static Command Remove()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force the removal of one or more volumes" };
        var names = new Argument<string[]>("VOLUME") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("rm", "Remove one or more volumes") { force, names };
        command.Aliases.Add("remove");
        command.SetAction(result =>
        {
            var service = Service(result);
            return ContainerVerb.ForEach(result.GetValue(names)!, name => ClientSideException.NotFoundAs("volume", name, () => { service.Remove(name, result.GetValue(force)); return 0; }));
        });
        return command;
    }

    private static Command Prune()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused volumes, not just anonymous ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filters = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. \"label=<label>\")" };
        var command = new Command("prune", "Remove unused local volumes") { all, force, filters };
        command.SetAction(result =>
        {
            var removed = Service(result).Prune(result.GetValue(all), result.GetValue(filters) ?? []);
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Volumes:");
                foreach (var name in removed)
                {
                    Console.WriteLine(name);
                }

                Console.WriteLine();
            }

            Console.WriteLine("Total reclaimed space: 0B");
            return 0;
        });
        return command;
    }

    private static VolumeService Service(ParseResult result) => CliEngine.Of(result).Volumes;

    private static string ToJson(VolumeRecord v)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            VolumeInspectWriter.Write(w, v);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
