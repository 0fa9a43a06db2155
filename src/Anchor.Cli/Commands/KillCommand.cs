using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Containers;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor kill [-s SIGNAL] CONTAINER...</c>.</summary>
public static class KillCommand
{
    public static Command Create()
    {
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send to the container", DefaultValueFactory = _ => "KILL" };
        var names = ContainerVerb.Containers();
        var command = new Command("kill", "Kill one or more running containers") { signal, names };
        command.SetAction(result =>
        {
            var lifecycle = CliEngine.Of(result).Lifecycle;
            // docker's daemon parses the signal of each request, so a bad one fails once per container.
            var text = result.GetValue(signal)!;
            return ContainerVerb.ForEach(result.GetValue(names)!, container => lifecycle.Kill(container, Signals.Parse(text)));
        });
        return command;
    }
}
