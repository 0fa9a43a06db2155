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
        var detachKeys = AttachCommand.DetachKeysOption();
        var command = new Command("exec", "Run a command in a running container") { interactive, tty, detach, env, envFile, workdir, user, positional, detachKeys };
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

            // --detach-keys: checked; exec's foreground session cannot detach (it owns the process).
            _ = Anchor.Engine.Attach.DetachKeys.Parse(result.GetValue(detachKeys) ?? Anchor.Engine.Attach.DetachKeys.Default);

            // docker exec prints a bad --env-file's error as it is and exits 1 (not a flag error).
            var environment = EnvFile.Collect(result.GetValue(envFile) ?? [], result.GetValue(env) ?? [], 1);
            var engine = CliEngine.Of(result);
            if (!result.GetValue(detach))
            {
                try
                {
                    InputTerminal.Check(result.GetValue(interactive), result.GetValue(tty));
                }
                catch (ClientSideException)
                {
                    // docker inspects the container first: "No such container" takes precedence.
                    _ = engine.Containers.Find(args[0]);
                    throw;
                }
            }

            try
            {
                return engine.Exec.Exec(Options(args, result, environment));
            }
            catch (EngineException e) when (!result.GetValue(detach) && e.Message.StartsWith(OciRuntimeError.ExecPrefix, StringComparison.Ordinal))
            {
                // docker 20.10's daemon writes a failed exec start into the attached stdout stream, "\r\n"
                // ended (api/server/router/container/exec.go postContainerExecStart); the client exits 126.
                Console.Out.Write(e.Message + "\r\n");
                return e.ExitCode;
            }
        });
        return command;

        ExecOptions Options(string[] args, ParseResult result, IReadOnlyList<string> environment) => new()
            {
                Container = args[0],
                Command = args[1..],
                Interactive = result.GetValue(interactive),
                Tty = result.GetValue(tty),
                Detach = result.GetValue(detach),
                Env = environment,
                WorkingDir = result.GetValue(workdir),
                User = result.GetValue(user),
            };
    }
}
