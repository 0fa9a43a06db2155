using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Top;
using Anchor.Runtime.Cgroups;

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
            var columns = PsFormat.Parse(values[1..]);
            var pidColumn = columns.ToList().FindIndex(c => c.Key == "pid");
            if (pidColumn < 0)
            {
                // docker finds the PID column to keep the container's rows only.
                throw EngineException.Daemon(EngineErrorKind.Internal, "Couldn't find PID field in ps output", 1);
            }

            var engine = CliEngine.Of(result);
            var record = ProcessLiveness.Refresh(engine.Containers.Find(values[0]));
            if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            {
                throw EngineException.Daemon(EngineErrorKind.Conflict, $"container {record.Id} is not running", 1);
            }

            var ps = new PsColumns(DateTimeOffset.Now);
            var table = new TableWriter([.. columns.Select(c => c.Header)]);
            foreach (var pid in Anchor.Engine.Resources.ContainerCgroup.Of(record).Pids().Order())
            {
                if (ProcessSnapshot.Read(pid) is { } process)
                {
                    table.Add([.. columns.Select(c => ps.Value(c.Key, process))]);
                }
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }
}
