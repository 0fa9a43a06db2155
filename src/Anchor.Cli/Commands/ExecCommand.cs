using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Run;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor exec [-i] [-t] [-d] [-e K=V] [--env-file FILE] [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]</c>.</summary>
public static class ExecCommand
{
    public static Command Create()
    {
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Detached mode: run command in the background" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables" };
        var envFile = new Option<string[]>("--env-file") { Description = "Read in a file of environment variables" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var positional = new Argument<string[]>("CONTAINER COMMAND [ARG...]") { Arity = ArgumentArity.OneOrMore, CaptureRemainingTokens = true };
        var command = new Command("exec", "Execute a command in a running container") { interactive, tty, detach, env, envFile, workdir, user, positional };
        command.SetAction(result =>
        {
            var args = result.GetValue(positional)!;
            if (args[0].StartsWith('-'))
            {
                throw new EngineException($"unknown flag: {args[0]}\nSee 'anchor exec --help'.");
            }

            if (args.Length < 2)
            {
                return CliErrors.WrongArgumentCount(command!, "anchor exec", minimum: 2);
            }

            // docker exec prints a bad --env-file's error as it is and exits 1 (not a flag error).
            var environment = EnvFile.Collect(result.GetValue(envFile) ?? [], result.GetValue(env) ?? [], "", 1);
            var engine = CliEngine.Of(result);
            if (!result.GetValue(detach))
            {
                try
                {
                    InputTerminal.Check(result.GetValue(interactive), result.GetValue(tty));
                }
                catch (EngineException)
                {
                    // docker inspects the container first: "No such container" takes precedence.
                    _ = engine.Containers.Find(args[0]);
                    throw;
                }
            }

            return engine.Exec.Exec(new ExecOptions
            {
                Container = args[0],
                Command = args[1..],
                Interactive = result.GetValue(interactive),
                Tty = result.GetValue(tty),
                Detach = result.GetValue(detach),
                Env = environment,
                WorkingDir = result.GetValue(workdir),
                User = result.GetValue(user),
            });
        });
        return command;
    }
}
