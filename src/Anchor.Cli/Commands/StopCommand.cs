using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Containers;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor stop [-t SECONDS] [-s SIGNAL] CONTAINER...</c> and <c>anchor restart</c>.</summary>
public static class StopCommand
{
    public static Command Create(string name)
    {
        // No default here: without -t the container's --stop-timeout applies, else 10 (StopTimeouts).
        var timeout = new Option<int?>("--timeout", "-t") { Description = "Seconds to wait before killing the container" };
        var signal = new Option<string?>("--signal", "-s") { Description = "Signal to send to the container" };
        var names = ContainerVerb.Containers();
        var command = new Command(name, name == "stop" ? "Stop one or more running containers" : "Restart one or more containers") { timeout, signal, names };
        command.SetAction(result =>
        {
            var lifecycle = CliEngine.Of(result).Lifecycle;
            var seconds = result.GetValue(timeout);
            var number = result.GetValue(signal) is { } s ? Signals.Parse(s) : (int?)null;
            return ContainerVerb.ForEach(result.GetValue(names)!, container =>
            {
                lifecycle.Stop(container, seconds, number);
                if (name == "restart")
                {
                    lifecycle.Start(container);
                }
            });
        });
        return command;
    }
}
