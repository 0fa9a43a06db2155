using System.CommandLine;
using System.Globalization;
using Anchor.Engine;
using Anchor.Engine.Logs;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor logs [-f] [--tail N] [-t] CONTAINER</c>: stdout entries to stdout, stderr to stderr.</summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var name = new Argument<string>("CONTAINER");
        var command = new Command("logs", "Fetch the logs of a container") { follow, tail, timestamps, name };
        command.SetAction(result =>
        {
            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            var record = engine.Containers.Find(result.GetValue(name)!);
            var tailValue = result.GetValue(tail)!;
            int? count = tailValue == "all" ? null
                : int.TryParse(tailValue, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new EngineException($"invalid value for \"tail\": \"{tailValue}\"");
            Print(engine, record.Id, result.GetValue(follow), count, result.GetValue(timestamps));
            return 0;
        });
        return command;
    }

    public static void Print(AnchorEngine engine, string id, bool follow, int? tail, bool timestamps)
    {
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        foreach (var entry in new LogReader(engine.Paths, engine.Containers).Read(id, tail, follow))
        {
            var target = entry.Stream == "stderr" ? stderr : stdout;
            var text = timestamps ? $"{entry.Time} {entry.Text}" : entry.Text;
            target.Write(System.Text.Encoding.UTF8.GetBytes(text));
            target.Flush();
        }
    }
}
