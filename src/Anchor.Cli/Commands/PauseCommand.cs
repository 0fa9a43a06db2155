using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor pause CONTAINER...</c> and <c>anchor unpause CONTAINER...</c> (cgroup freezer).</summary>
public static class PauseCommand
{
    public static Command Create(bool pause)
    {
        var names = ContainerVerb.Containers();
        var command = new Command(pause ? "pause" : "unpause", pause ? "Pause all processes within one or more containers" : "Unpause all processes within one or more containers") { names };
        command.SetAction(result =>
        {
            var lifecycle = CliEngine.Of(result).Lifecycle;
            return ContainerVerb.ForEach(result.GetValue(names)!, name => lifecycle.Pause(name, pause));
        });
        return command;
    }
}
