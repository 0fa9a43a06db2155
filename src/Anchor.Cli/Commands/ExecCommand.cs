using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Run;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor exec [-i] [-t] [-d] [-e K=V] [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]</c>.</summary>
public static class ExecCommand
{
    public static Command Create()
    {
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Detached mode: run command in the background" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var positional = new Argument<string[]>("CONTAINER COMMAND [ARG...]") { Arity = ArgumentArity.OneOrMore, CaptureRemainingTokens = true };
        var command = new Command("exec", "Execute a command in a running container") { interactive, tty, detach, env, workdir, user, positional };
        command.SetAction(result =>
        {
            var args = result.GetValue(positional)!;
            if (args[0].StartsWith('-'))
            {
                throw new EngineException($"unknown flag: {args[0]}");
            }

            if (args.Length < 2)
            {
                throw new EngineException("\"anchor exec\" requires at least 2 arguments.");
            }

            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            return engine.Exec.Exec(new ExecOptions
            {
                Container = args[0],
                Command = args[1..],
                Interactive = result.GetValue(interactive),
                Tty = result.GetValue(tty),
                Detach = result.GetValue(detach),
                Env = (result.GetValue(env) ?? []).Select(EnvFile.ExpandBare).OfType<string>().ToList(),
                WorkingDir = result.GetValue(workdir),
                User = result.GetValue(user),
            });
        });
        return command;
    }
}
