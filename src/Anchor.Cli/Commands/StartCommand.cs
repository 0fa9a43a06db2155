using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor start [-a] CONTAINER...</c>.</summary>
public static class StartCommand
{
    public static Command Create()
    {
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach STDOUT/STDERR and forward signals" };
        var names = ContainerVerb.Containers();
        var command = new Command("start", "Start one or more stopped containers") { attach, names };
        command.SetAction(result =>
        {
            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            var all = result.GetValue(names)!;
            if (!result.GetValue(attach))
            {
                return ContainerVerb.ForEach(all, name => engine.Lifecycle.Start(name));
            }

            // start -a: start, then follow the output until the container stops, and exit with its code.
            var record = engine.Lifecycle.Start(all[0]);
            LogsCommand.Print(engine, record.Id, follow: true, tail: null, timestamps: false);
            return engine.Lifecycle.Wait(record.Id);
        });
        return command;
    }
}
