using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Engine.Top;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor top CONTAINER [ps OPTIONS]</c>: the container's processes (its cgroup's), as host PIDs,
/// in the columns the ps options name (docker's default is <c>-ef</c>), read from /proc rather than
/// by running ps on the host (<see cref="PsFormat"/>, <see cref="PsColumns"/>).
/// </summary>
public static class TopCommand
{
    public static Command Create()
    {
        var args = new Argument<string[]>("CONTAINER [ps OPTIONS]")
        {
            Arity = ArgumentArity.OneOrMore,
            // Everything after the container is for ps, dashes included (docker's rule).
            CaptureRemainingTokens = true,
        };
        var command = new Command("top", "Display the running processes of a container") { args };
        command.SetAction(result =>
        {
            var values = result.GetValue(args)!;
            var top = ContainerTop.Of(CliEngine.Of(result), values[0], values[1..]);
            var table = new TableWriter([.. top.Titles]);
            foreach (var row in top.Processes)
            {
                table.Add([.. row]);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }
}
