using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Containers;
using Anchor.Linux;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor start [-a] [-i] [--detach-keys KEYS] CONTAINER...</c>.</summary>
public static class StartCommand
{
    public static Command Create()
    {
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach STDOUT/STDERR and forward signals" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Attach container's STDIN" };
        var detachKeys = AttachCommand.DetachKeysOption();
        var names = ContainerVerb.Containers();
        var command = new Command("start", "Start one or more stopped containers") { attach, interactive, detachKeys, names };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var all = result.GetValue(names)!;
            var stdin = result.GetValue(interactive);
            if (!result.GetValue(attach) && !stdin)
            {
                // docker/cli start.go startContainersWithoutAttachments: each failure, then one line naming them all.
                var failed = new List<string>();
                var code = ContainerVerb.ForEach(all, name => engine.Lifecycle.Start(name), echo: true, failed);
                if (failed.Count > 0)
                {
                    Console.Error.WriteLine($"Error: failed to start containers: {string.Join(", ", failed)}");
                }

                return code;
            }

            if (all.Length > 1)
            {
                throw new EngineException("you cannot start and attach multiple containers at once", 1);
            }

            // start -a: the monitor gets one end of a socket pair as its first client before the
            // container runs, so nothing the container writes at start-up is lost.
            if (AttachCommand.FindOrReport(engine, all[0]) is not { } record)
            {
                return 1;
            }

            var options = new AttachOptions
            {
                Stdin = stdin && record.Options?.Interactive == true,
                StdinOnce = true,
                DetachKeys = DetachKeys.Parse(result.GetValue(detachKeys) ?? DetachKeys.Default),
            };
            if (ProcessLiveness.Refresh(record).Status == ContainerStatus.Running)
            {
                // docker start -a on a running container attaches to it.
                return AttachCommand.Relay(engine, record, engine.Attach.Connect(record), options with { StdinOnce = false });
            }

            var (client, monitorEnd) = UnixSocket.Pair();
            record = engine.Lifecycle.Start(record.Id, monitorEnd);
            return AttachCommand.Relay(engine, record, client, options);
        });
        return command;
    }
}
