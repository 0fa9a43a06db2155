using System.Globalization;
using System.Text;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.OciRuntime;
using Anchor.Engine.Top;
using Anchor.Linux;

namespace Anchor.Cli.Oci;

/// <summary>
/// The runc-compatible runtime command: <c>anchor oci …</c>, or the binary invoked as
/// <c>anchor-runc</c> (a link install.sh makes). runc's global flags, commands, output and exit
/// codes (runc main.go and its command files): what containerd's shim, dockerd and CRI-O run.
/// </summary>
public static class OciCli
{
    public const string LinkName = "anchor-runc";

    private static readonly string[] GlobalBools = ["debug", "systemd-cgroup", "help|h", "version|v"];
    private static readonly string[] GlobalStrings = ["root", "log", "log-format", "rootless", "criu"];
    private static readonly string[] ListHeader = ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"];
    private static readonly string[] CreateBools = ["no-pivot", "no-new-keyring", "help|h"];
    private static readonly string[] CreateStrings = ["bundle|b", "console-socket", "pid-file", "preserve-fds", "pidfd-socket"];

    public static int Run(IReadOnlyList<string> args, string program)
    {
        ArgumentNullException.ThrowIfNull(args);
        var log = new OciLog(null, json: false);
        try
        {
            var globals = OciArguments.Parse(args, GlobalBools, GlobalStrings, stopAtFirstPositional: true, out var consumed);
            log = new OciLog(globals.String("log") is { Length: > 0 } file ? file : null, globals.String("log-format") == "json");
            if (globals.String("log-format") is { } format && format is not ("" or "text" or "json"))
            {
                throw new EngineException("invalid log-format: " + format, OciRuntimeRoot.ErrorExit);
            }

            if (globals.Bool("version"))
            {
                Console.Out.Write($"{program} version {Anchor.Cli.Commands.VersionCommand.Version}\nspec: 1.2.0\n");
                return 0;
            }

            if (consumed >= args.Count || globals.Bool("help"))
            {
                Console.Out.Write(Usage(program));
                return 0;
            }

            var root = new OciRuntimeRoot(RootDirectory(globals.String("root")));
            var command = args[consumed];
            var rest = args.Skip(consumed + 1).ToList();
            return command switch
            {
                "spec" => Spec(rest),
                "create" => Create(root, rest),
                "run" => RunCommand(root, rest),
                "start" => Simple(rest, "start", id => new OciOperations(root).Start(id)),
                "state" => State(root, rest),
                "kill" => Kill(root, rest),
                "delete" => Delete(root, rest),
                "list" => List(root, rest),
                "ps" => Ps(root, rest),
                "pause" => Simple(rest, "pause", id => new OciOperations(root).Pause(id, frozen: true)),
                "resume" => Simple(rest, "resume", id => new OciOperations(root).Pause(id, frozen: false)),
                "features" => Features(rest),
                "exec" => Exec(root, rest),
                "update" => OciResourceCommands.Update(root, rest),
                "events" => OciResourceCommands.Events(root, rest),
                "checkpoint" or "restore" =>
                    throw new EngineException($"{program} {command} is not supported yet", OciRuntimeRoot.ErrorExit),
                _ => throw new OciUsageException($"No help topic for '{command}'"),
            };
        }
        catch (OciUsageException e)
        {
            log.Error(e.Message);
            return OciRuntimeRoot.ErrorExit;
        }
        catch (EngineException e)
        {
            log.Error(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is LinuxException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            log.Error(ErrorText.Of(e));
            return OciRuntimeRoot.ErrorExit;
        }
    }

    /// <summary>runc's reviseRootDir: made absolute, and never "/".</summary>
    private static string RootDirectory(string? root)
    {
        if (root is null)
        {
            return OciRuntimeRoot.DefaultDirectory;
        }

        var full = Path.GetFullPath(root.Length == 0 ? "/" : root);
        return full == "/" ? throw new EngineException("Option --root argument should not be set to /", OciRuntimeRoot.ErrorExit) : full.TrimEnd('/');
    }

    private static string Id(OciArguments parsed, string command, int max = 1)
    {
        if (parsed.Positional.Count < 1 || parsed.Positional.Count > max)
        {
            Console.Out.Write("Incorrect Usage.\n\n");
            var kind = max == 1 ? "exactly" : parsed.Positional.Count < 1 ? "a minimum of" : "a maximum of";
            var count = max == 1 || parsed.Positional.Count < 1 ? 1 : max;
            throw new OciUsageException($"{Environment.GetCommandLineArgs()[0]}: \"{command}\" requires {kind} {count} argument(s)");
        }

        return parsed.Positional[0];
    }

    private static int Simple(List<string> args, string command, Action<string> action)
    {
        var parsed = OciArguments.Parse(args, ["help|h"], [], stopAtFirstPositional: false, out _);
        action(Id(parsed, command));
        return 0;
    }

    private static int Spec(List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["rootless", "help|h"], ["bundle|b"], stopAtFirstPositional: false, out _);
        if (parsed.Bool("rootless"))
        {
            throw new EngineException("rootless containers are not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
        }

        var bundle = parsed.String("bundle") is { Length: > 0 } b ? b : ".";
        OciDefaultSpec.Write(bundle, Anchor.Runtime.Cgroups.CgroupDetector.Detect(Anchor.Runtime.Cgroups.CgroupDetector.DefaultRoot) == Anchor.Runtime.Cgroups.CgroupVersion.V2);
        return 0;
    }

    private static OciArguments ParseCreate(List<string> args, string[] extraBools)
    {
        var parsed = OciArguments.Parse(args, [.. CreateBools, .. extraBools], CreateStrings, stopAtFirstPositional: false, out _);
        if (parsed.String("preserve-fds") is { } fds && fds != "0")
        {
            throw new EngineException("--preserve-fds is not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
        }

        if (parsed.IsSet("pidfd-socket"))
        {
            throw new EngineException("--pidfd-socket is not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
        }

        return parsed;
    }

    private static int Create(OciRuntimeRoot root, List<string> args)
    {
        var parsed = ParseCreate(args, []);
        var id = Id(parsed, "create");
        OciCreate.Create(root, id, parsed.String("bundle") ?? ".", parsed.String("pid-file"), parsed.String("console-socket"));
        return 0;
    }

    private static int RunCommand(OciRuntimeRoot root, List<string> args)
    {
        var parsed = ParseCreate(args, ["detach|d", "keep", "no-subreaper"]);
        var id = Id(parsed, "run");
        var bundle = parsed.String("bundle") ?? ".";
        if (!parsed.Bool("detach"))
        {
            return OciRun.Run(root, id, bundle, parsed.String("pid-file"), parsed.String("console-socket"), parsed.Bool("keep"));
        }

        OciCreate.Create(root, id, bundle, parsed.String("pid-file"), parsed.String("console-socket"));
        try
        {
            new OciOperations(root).Start(id);
        }
        catch
        {
            new OciOperations(root).Delete(id, force: true);
            throw;
        }

        return 0;
    }

    private static int Exec(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["detach|d", "tty|t", "no-new-privs", "ignore-paused", "no-subreaper", "help|h"], ["process|p", "pid-file", "console-socket", "cwd", "env|e", "user|u", "preserve-fds", "process-label", "apparmor", "cap|c", "additional-gids|g", "pidfd-socket"], stopAtFirstPositional: true, out var consumed);
        var rest = args.Skip(consumed).ToList();
        if (rest.Count < 1)
        {
            Console.Out.Write("Incorrect Usage.\n\n");
            throw new OciUsageException($"{Environment.GetCommandLineArgs()[0]}: \"exec\" requires a minimum of 1 argument(s)");
        }

        foreach (var unsupported in new[] { "preserve-fds", "process-label", "apparmor", "cap", "additional-gids", "pidfd-socket" })
        {
            if (parsed.IsSet(unsupported) && !(unsupported == "preserve-fds" && parsed.String(unsupported) == "0"))
            {
                throw new EngineException($"exec --{unsupported} is not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
            }
        }

        return OciExec.Run(root, new OciExecRequest(rest[0], parsed.String("process"), rest.Skip(1).ToList(), parsed.Bool("detach"), parsed.Bool("tty"), parsed.String("cwd"), parsed.Strings("env"), parsed.String("user"), parsed.String("pid-file"), parsed.String("console-socket")));
    }

    private static int State(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["help|h"], [], stopAtFirstPositional: false, out _);
        var state = root.Load(Id(parsed, "state"));
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(OciStateOutput.State(state));
        return 0;
    }

    private static int Kill(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["all|a", "help|h"], [], stopAtFirstPositional: false, out _);
        var id = Id(parsed, "kill", max: 2);
        var raw = parsed.Positional.Count > 1 ? parsed.Positional[1] : "SIGTERM";
        int signal;
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            signal = number;
        }
        else
        {
            try
            {
                signal = Signals.Parse(raw);
            }
            catch (EngineException)
            {
                throw new EngineException($"unknown signal \"{raw}\"", OciRuntimeRoot.ErrorExit);
            }
        }

        new OciOperations(root).Kill(id, signal, parsed.Bool("all"));
        return 0;
    }

    private static int Delete(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["force|f", "help|h"], [], stopAtFirstPositional: false, out _);
        new OciOperations(root).Delete(Id(parsed, "delete"), parsed.Bool("force"));
        return 0;
    }

    private static int List(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["quiet|q", "help|h"], ["format|f"], stopAtFirstPositional: false, out _);
        var states = root.List();
        if (parsed.Bool("quiet"))
        {
            foreach (var state in states)
            {
                Console.Out.WriteLine(state.Id);
            }

            return 0;
        }

        switch (parsed.String("format") ?? "table")
        {
            case "table":
                var rows = new List<string[]> { ListHeader };
                foreach (var state in states)
                {
                    var status = OciRuntimeRoot.StatusOf(state);
                    rows.Add([state.Id, (status == OciStatus.Stopped ? 0 : state.Pid).ToString(CultureInfo.InvariantCulture), OciRuntimeRoot.Text(status), state.Bundle, state.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture), state.Owner]);
                }

                Console.Out.Write(TabWriter(rows));
                return 0;
            case "json":
                using (var stdout = Console.OpenStandardOutput())
                {
                    stdout.Write(OciStateOutput.List(states));
                }

                return 0;
            default:
                throw new EngineException("invalid format option", OciRuntimeRoot.ErrorExit);
        }
    }

    private static int Ps(OciRuntimeRoot root, List<string> args)
    {
        var split = args.IndexOf("--");
        var own = split >= 0 ? args[..split] : args;
        var parsed = OciArguments.Parse(own, ["help|h"], ["format|f"], stopAtFirstPositional: true, out var consumed);
        var rest = own.Skip(consumed).ToList();
        var psOptions = split >= 0 ? args[(split + 1)..] : rest.Skip(1).ToList();
        if (rest.Count < 1)
        {
            Console.Out.Write("Incorrect Usage.\n\n");
            throw new OciUsageException($"{Environment.GetCommandLineArgs()[0]}: \"ps\" requires a minimum of 1 argument(s)");
        }

        var pids = new OciOperations(root).Pids(rest[0]);
        switch (parsed.String("format") ?? "table")
        {
            case "json":
                Console.Out.Write("[" + string.Join(',', pids.Order().Select(p => p.ToString(CultureInfo.InvariantCulture))) + "]\n");
                return 0;
            case "table":
                var top = ContainerTop.OfPids(pids, PsFormat.Parse(psOptions.Count > 0 ? psOptions : ["-ef"]));
                var rows = new List<string[]> { top.Titles.ToArray() };
                rows.AddRange(top.Processes.Select(p => p.ToArray()));
                Console.Out.Write(TabWriter(rows, minWidth: 0, padding: 1));
                return 0;
            default:
                throw new EngineException("invalid format option", OciRuntimeRoot.ErrorExit);
        }
    }

    private static int Features(List<string> args)
    {
        _ = OciArguments.Parse(args, ["help|h"], [], stopAtFirstPositional: false, out _);
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(OciFeatures.Render());
        return 0;
    }

    /// <summary>Go's text/tabwriter as runc list uses it: cells padded to max(minwidth, widest + padding), the last cell bare.</summary>
    private static string TabWriter(List<string[]> rows, int minWidth = 12, int padding = 3)
    {
        var columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length - 1; c++)
            {
                widths[c] = Math.Max(widths[c], Math.Max(minWidth, row[c].Length + padding));
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                text.Append(c < row.Length - 1 ? row[c].PadRight(widths[c]) : row[c]);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Usage(string program) =>
        $"NAME:\n   {program} - Open Container Initiative runtime (Anchor's)\n\nUSAGE:\n   {program} [global options] command [command options] [arguments...]\n\n" +
        "COMMANDS:\n   create    create a container\n   delete    delete any resources held by the container often used with detached container\n" +
        "   features  show the enabled features\n   kill      kill sends the specified signal (default: SIGTERM) to the container's init process\n" +
        "   list      lists containers started by runc with the given root\n   pause     pause suspends all processes inside the container\n" +
        "   ps        ps displays the processes running inside a container\n   resume    resumes all processes that have been previously paused\n" +
        "   run       create and run a container\n   spec      create a new specification file\n   start     executes the user defined process in a created container\n" +
        "   state     output the state of a container\n   update    change the resource limits of a running container\n   events    print the container's usage statistics as JSON lines\n\nGLOBAL OPTIONS:\n   --debug             enable debug logging\n   --log value         set the log file to write runc logs to (default is '/dev/stderr')\n" +
        $"   --log-format value  set the log format ('text' (default), or 'json') (default: \"text\")\n   --root value        root directory for storage of container state (default: \"{OciRuntimeRoot.DefaultDirectory}\")\n" +
        "   --systemd-cgroup    enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\"\n   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\")\n";
}
