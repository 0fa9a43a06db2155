using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Inspect;
using Anchor.Engine.Networks;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor network create|ls|inspect|rm|prune|connect|disconnect</c>.</summary>
public static class NetworkCommand
{
    public static Command Create() => new("network", "Manage networks")
    {
        CreateNetwork(), List(), Inspect(), Remove(), Prune(), Connect(), Disconnect(),
    };

    private static Command CreateNetwork()
    {
        var driver = new Option<string>("--driver", "-d") { Description = "Driver to manage the Network", DefaultValueFactory = _ => "bridge" };
        var subnet = new Option<string?>("--subnet") { Description = "Subnet in CIDR format that represents a network segment" };
        var gateway = new Option<string?>("--gateway") { Description = "IPv4 Gateway for the master subnet" };
        var @internal = new Option<bool>("--internal") { Description = "Restrict external access to the network" };
        var labels = new Option<string[]>("--label") { Description = "Set metadata on a network" };
        var name = new Argument<string>("NETWORK");
        var command = new Command("create", "Create a network") { driver, subnet, gateway, @internal, labels, name };
        command.SetAction(result =>
        {
            var labelMap = (result.GetValue(labels) ?? []).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
            var created = Service(result).Create(new NetworkCreateOptions
            {
                Name = result.GetValue(name)!,
                Driver = result.GetValue(driver)!,
                Subnet = result.GetValue(subnet),
                Gateway = result.GetValue(gateway),
                Internal = result.GetValue(@internal),
                Labels = labelMap,
            });
            Console.WriteLine(created.Id);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display network IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the output" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Provide filter values (e.g. \"driver=bridge\")" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var command = new Command("ls", "List networks") { quiet, noTrunc, filters, format };
        command.Aliases.Add("list");
        command.SetAction(result =>
        {
            var filter = NetworkFilter.Parse(result.GetValue(filters) ?? []);
            var endpoints = new NetworkStore(GlobalOptions.Paths(result)).Read().Endpoints;
            var networks = Service(result).List().Where(n => filter.Matches(n, x => endpoints.Any(e => e.NetworkId == x.Id))).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
            var truncate = !result.GetValue(noTrunc);
            string Id(NetworkRecord n) => truncate ? n.Id[..12] : n.Id;
            if (result.GetValue(quiet))
            {
                foreach (var n in networks)
                {
                    Console.WriteLine(Id(n));
                }

                return 0;
            }

            if (result.GetValue(format) is { } template && template != "table")
            {
                var formatter = TemplateFormatter.Create(template, DockerHeaders.Networks());
                foreach (var n in networks)
                {
                    formatter.Add(new TemplateObject
                    {
                        ["ID"] = Id(n),
                        ["Name"] = n.Name,
                        ["Driver"] = n.Driver,
                        ["Scope"] = "local",
                        ["IPv6"] = "false",
                        ["Internal"] = n.Internal ? "true" : "false",
                        ["Labels"] = string.Join(',', n.Labels.Select(l => $"{l.Key}={l.Value}")),
                        ["CreatedAt"] = n.Created.ToString("yyyy-MM-dd HH:mm:ss.fffffff +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
                    });
                }

                Console.Out.Write(formatter.Render());
                return 0;
            }

            var table = new TableWriter("NETWORK ID", "NAME", "DRIVER", "SCOPE");
            foreach (var n in networks)
            {
                table.Add(Id(n), n.Name, n.Driver, "local");
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }

    private static Command Inspect()
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a custom template" };
        var names = new Argument<string[]>("NETWORK") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("inspect", "Display detailed information on one or more networks") { format, names };
        command.SetAction(result =>
        {
            var service = Service(result);
            return InspectOutput.PrintEach(
                result.GetValue(names)!,
                name =>
                {
                    var network = ClientSideException.NotFoundAs("network", name, () => service.Get(name));
                    return NetworkInspectWriter.ToJson(network, service.Members(network.Id));
                },
                result.GetValue(format),
                Console.Out);
        });
        return command;
    }

    private static Command Remove()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not error if the network does not exist" };
        var names = new Argument<string[]>("NETWORK") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("rm", "Remove one or more networks") { force, names };
        command.Aliases.Add("remove");
        command.SetAction(result =>
        {
            var service = Service(result);
            var quietMissing = result.GetValue(force);
            return ContainerVerb.ForEach(result.GetValue(names)!, name =>
            {
                if (quietMissing && service.List().All(n => n.Name != name && !n.Id.StartsWith(name, StringComparison.Ordinal)))
                {
                    return;
                }

                ClientSideException.NotFoundAs("network", name, () => { service.Remove(name); return 0; });
            });
        });
        return command;
    }

    private static Command Prune()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filters = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. \"until=<timestamp>\")" };
        var command = new Command("prune", "Remove all unused networks") { force, filters };
        command.SetAction(result =>
        {
            var removed = Service(result).Prune(Engine.Filters.PruneFilter.Parse(result.GetValue(filters) ?? [], DateTimeOffset.UtcNow));
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Networks:");
                foreach (var name in removed)
                {
                    Console.WriteLine(name);
                }

                Console.WriteLine();
            }

            return 0;
        });
        return command;
    }

    private static Command Connect()
    {
        var ip = new Option<string?>("--ip") { Description = "IPv4 address (e.g., \"172.30.100.104\")" };
        var aliases = new Option<string[]>("--alias") { Description = "Add network-scoped alias for the container" };
        var network = new Argument<string>("NETWORK");
        var container = new Argument<string>("CONTAINER");
        var command = new Command("connect", "Connect a container to a network") { ip, aliases, network, container };
        command.SetAction(result =>
        {
            Attachments(result).Connect(result.GetValue(network)!, result.GetValue(container)!, result.GetValue(ip), result.GetValue(aliases) ?? []);
            return 0;
        });
        return command;
    }

    private static Command Disconnect()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force the container to disconnect from a network" };
        var network = new Argument<string>("NETWORK");
        var container = new Argument<string>("CONTAINER");
        var command = new Command("disconnect", "Disconnect a container from a network") { force, network, container };
        command.SetAction(result =>
        {
            Attachments(result).Disconnect(result.GetValue(network)!, result.GetValue(container)!, result.GetValue(force));
            return 0;
        });
        return command;
    }

    private static NetworkService Service(ParseResult result)
    {
        var engine = CliEngine.Of(result);
        return NetworkService.For(engine.Paths, engine.Containers);
    }

    private static NetworkAttachments Attachments(ParseResult result)
    {
        var engine = CliEngine.Of(result);
        return NetworkAttachments.For(engine.Paths, engine.Containers);
    }
}
