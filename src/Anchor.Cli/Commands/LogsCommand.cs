using System.CommandLine;
using System.Globalization;
using Anchor.Engine;
using Anchor.Engine.Logs;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor logs [-f] [--tail N] [--since T] [--until T] [-t] CONTAINER</c>: stdout entries to stdout, stderr to stderr.</summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var since = new Option<string>("--since") { Description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)" };
        var until = new Option<string>("--until") { Description = "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var name = new Argument<string>("CONTAINER");
        var details = new Option<bool>("--details") { Description = "Show extra details provided to logs" };
        var command = new Command("logs", "Fetch the logs of a container") { follow, since, until, tail, timestamps, details, name };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var record = engine.Containers.Find(result.GetValue(name)!);
            var tailValue = result.GetValue(tail)!;
            int? count = tailValue == "all" ? null
                : int.TryParse(tailValue, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new EngineException($"invalid value for \"tail\": \"{tailValue}\"");

            // As docker's client: the container first, then the times, both before any output.
            var now = DateTimeOffset.Now;
            var sinceValue = result.GetValue(since);
            var untilValue = result.GetValue(until);
            var options = new LogOptions(
                count,
                result.GetValue(follow),
                string.IsNullOrEmpty(sinceValue) ? null : DockerTimestamp.Parse("since", sinceValue, now),
                string.IsNullOrEmpty(untilValue) ? null : DockerTimestamp.Parse("until", untilValue, now) is var u && untilValue != "0" ? u : null);
            Print(engine, record.Id, options, result.GetValue(timestamps), result.GetValue(details));
            return 0;
        });
        return command;
    }

    public static void Print(AnchorEngine engine, string id, LogOptions options, bool timestamps, bool details = false)
    {
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        var output = new LogsOutput(stdout, stderr, timestamps, details);
        new LogReader(engine.Paths, engine.Containers).Read(id, options, output);
        output.Flush();
    }
}
