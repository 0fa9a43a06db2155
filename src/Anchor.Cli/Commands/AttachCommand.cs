using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Containers;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor attach [--no-stdin] [--sig-proxy] [--detach-keys KEYS] CONTAINER</c> (also <c>anchor container attach</c>).</summary>
public static class AttachCommand
{
    public static Option<string?> DetachKeysOption() => new("--detach-keys") { Description = "Override the key sequence for detaching a container" };

    public static Command Create()
    {
        var noStdin = new Option<bool>("--no-stdin") { Description = "Do not attach STDIN" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "Proxy all received signals to the process", DefaultValueFactory = _ => true };
        var detachKeys = DetachKeysOption();
        var name = new Argument<string>("CONTAINER");
        var command = new Command("attach", "Attach local standard input, output, and error streams to a running container")
        {
            noStdin, sigProxy, detachKeys, name,
        };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            if (FindOrReport(engine, result.GetValue(name)!) is not { } record)
            {
                return 1;
            }

            var options = new AttachOptions
            {
                Stdin = !result.GetValue(noStdin) && record.Options?.Interactive == true,
                SigProxy = result.GetValue(sigProxy),
                DetachKeys = DetachKeys.Parse(result.GetValue(detachKeys) ?? DetachKeys.Default),
            };
            int socket;
            try
            {
                record = engine.Attach.Running(record.Id);
                socket = engine.Attach.Connect(record);
            }
            catch (EngineException e)
            {
                // docker's client-side refusal: the message alone, exit 1.
                Console.Error.WriteLine(CliErrors.TextOf(e));
                return e.ExitCode;
            }

            return Relay(engine, record, socket, options);
        });
        return command;
    }

    /// <summary>
    /// The container, or null after printing the error of docker's inspect of it (attach and
    /// start -a inspect first: a missing one is the client's "Error: No such container: X").
    /// </summary>
    public static ContainerRecord? FindOrReport(AnchorEngine engine, string nameOrId)
    {
        try
        {
            return engine.Containers.Find(nameOrId);
        }
        catch (EngineException e)
        {
            Console.Error.WriteLine(CliErrors.FromDaemon(CliErrors.Describe(e, "attach").Text));
            return null;
        }
    }

    /// <summary>
    /// Runs the session to its end: the container's exit code, or 0 after a detach (docker prints
    /// "read escape sequence"). Without an exit frame (the monitor went away) the record says.
    /// </summary>
    public static int Relay(AnchorEngine engine, ContainerRecord record, int socket, AttachOptions options)
    {
        AttachOutcome outcome;
        using (var session = new AttachSession(socket, options, record.Options?.Tty == true, () => engine.Containers.Get(record.Id)?.Pid ?? 0))
        {
            outcome = session.Run();
        }

        if (outcome.Detached)
        {
            Console.Error.WriteLine("read escape sequence");
            return 0;
        }

        return outcome.ExitCode ?? engine.Lifecycle.Wait(record.Id);
    }
}
