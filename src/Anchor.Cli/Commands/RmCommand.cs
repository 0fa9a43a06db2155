using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor rm [-f] CONTAINER...</c>.</summary>
public static class RmCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force the removal of a running container (uses SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "Remove anonymous volumes associated with the container" };
        var names = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("rm", "Remove one or more containers") { force, volumes, names };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var code = 0;
            var all = result.GetValue(names)!;
            var outcomes = engine.Lifecycle.RemoveAll(all, result.GetValue(force), result.GetValue(volumes));
            for (var i = 0; i < all.Length; i++)
            {
                switch (outcomes[i])
                {
                    case null:
                        Console.WriteLine(all[i]);
                        break;
                    case EngineException e when result.GetValue(force) && e.NotFound:
                        // docker's CLI since 20.10: rm -f of a container that does not exist is not an error.
                        break;
                    case var e when e is EngineException || ContainerVerb.Reportable(e):
                        Console.Error.WriteLine(CliErrors.FromDaemon(CliErrors.Describe(e, "rm").Text));
                        code = 1;
                        break;
                    case var e:
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                        break;
                }
            }

            return code;
        });
        return command;
    }
}
