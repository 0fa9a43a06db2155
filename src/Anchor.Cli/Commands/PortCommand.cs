using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Networks;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: the running container's published ports.</summary>
public static class PortCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER");
        var port = new Argument<string?>("PRIVATE_PORT[/PROTO]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("port", "List port mappings or a specific mapping for the container") { container, port };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var record = engine.Containers.Find(result.GetValue(container)!);
            var bindings = NetworkAttachments.For(engine.Paths, engine.Containers).Endpoints(record.Id).SelectMany(e => e.Ports)
                .OrderBy(p => p.ContainerPort).ThenBy(p => p.Protocol, StringComparer.Ordinal).ToList();
            if (result.GetValue(port) is { } wanted)
            {
                var (number, protocol) = PortSpecParser.ParsePortKey(wanted);
                var matching = bindings.Where(b => b.ContainerPort == number && b.Protocol == protocol).ToList();
                if (matching.Count == 0)
                {
                    throw new EngineException($"Error: No public port '{number}/{protocol}' published for {result.GetValue(container)}", 1);
                }

                foreach (var binding in matching)
                {
                    Console.WriteLine($"{binding.DisplayHostIp}:{binding.HostPort}");
                }

                return 0;
            }

            foreach (var binding in bindings)
            {
                Console.WriteLine(binding);
            }

            return 0;
        });
        return command;
    }
}
