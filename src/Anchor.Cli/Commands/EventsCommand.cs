using System.CommandLine;
using System.Globalization;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Events;
using Anchor.Engine.Logs;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor events</c> (also <c>system events</c>): the store's event journal, followed live (docker/cli cli/command/system/events.go).</summary>
public static class EventsCommand
{
    public static Command Create()
    {
        var since = new Option<string>("--since") { Description = "Show all events created since timestamp" };
        var until = new Option<string>("--until") { Description = "Stream events until this timestamp" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string>("--format") { Description = "Format output using a custom template" };
        var command = new Command("events", "Get real time events from the server") { since, until, filter, format };
        command.SetAction(result =>
        {
            var paths = GlobalOptions.Paths(result);
            var now = DateTimeOffset.Now;
            var sinceValue = result.GetValue(since);
            var untilValue = result.GetValue(until);
            long? sinceNanos = string.IsNullOrEmpty(sinceValue) ? null : (long)DockerTimestamp.Parse("since", sinceValue, now, clientNamesFlag: false);
            long? untilNanos = string.IsNullOrEmpty(untilValue) ? null : (long)DockerTimestamp.Parse("until", untilValue, now, clientNamesFlag: false);
            var render = Renderer(result.GetValue(format));
            var eventFilter = EventFilter.Parse(result.GetValue(filter) ?? []);
            var engine = new AnchorEngine(paths);
            new EventStream(new EventJournal(engine.Paths)).Run(sinceNanos, untilNanos, eventFilter, e => Console.Out.Write(render(e)));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// docker's makeTemplate: "" is the text line, "json" is {{json .}}, anything else a Go template
    /// over events.Message, checked first against an empty message, printed with a newline after it.
    /// </summary>
    private static Func<EngineEvent, string> Renderer(string? format)
    {
        if (string.IsNullOrEmpty(format))
        {
            return Text;
        }

        if (format == "json" || format.Trim() == "{{json .}}")
        {
            // The JSON keys (status, id, timeNano …) are not the struct's field names the template sees.
            return e => EventCodec.ToJson(e) + "\n";
        }

        GoTemplate template;
        try
        {
            template = GoTemplate.Parse(format);
            template.Execute(Message(new EngineEvent("", "", "", new Dictionary<string, string>(), 0)));
        }
        catch (TemplateException e)
        {
            // cli/command/system/events.go: a cli.StatusError with status 64 (EX_USAGE).
            throw new EngineException($"Error parsing format: {e.Message}", 64);
        }

        return e => template.Execute(Message(e)) + "\n";
    }

    /// <summary>moby's events.Message as a Go struct: the field names a template uses.</summary>
    public static TemplateObject Message(EngineEvent e)
    {
        var legacy = e.Type is EngineEvent.ContainerType or EngineEvent.ImageType;
        var attributes = new TemplateObject();
        foreach (var (key, value) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            attributes[key] = value;
        }

        return new TemplateObject
        {
            ["Status"] = legacy ? e.Action : "",
            ["ID"] = legacy ? e.ActorId : "",
            ["From"] = e.Type == EngineEvent.ContainerType && e.Attributes.TryGetValue("image", out var from) ? from : "",
            ["Type"] = e.Type,
            ["Action"] = e.Action,
            ["Actor"] = new TemplateObject { ["ID"] = e.ActorId, ["Attributes"] = attributes },
            ["Scope"] = e.Type.Length == 0 ? "" : "local",
            ["Time"] = e.Time,
            ["TimeNano"] = e.TimeNano,
        };
    }

    /// <summary>docker's prettyPrintEvent: local time in RFC3339NanoFixed, type, action, actor, then the sorted attributes.</summary>
    public static string Text(EngineEvent e)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(e.TimeNano / 100).ToLocalTime();
        var zone = time.Offset == TimeSpan.Zero ? "Z" : time.ToString("zzz", CultureInfo.InvariantCulture);
        var line = $"{time.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)}.{e.TimeNano % 1_000_000_000:D9}{zone} {e.Type} {e.Action} {e.ActorId}";
        if (e.Attributes.Count > 0)
        {
            line += " (" + string.Join(", ", e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")) + ")";
        }

        return line + "\n";
    }
}
