using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Run;
using Anchor.Engine.Units;
using Anchor.Engine.Volumes;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor run [OPTIONS] IMAGE [COMMAND] [ARG...]</c>, docker's flags and exit codes.</summary>
public static class RunCommand
{
    private static readonly Option<bool> Rm = new("--rm") { Description = "Automatically remove the container when it exits" };
    private static readonly Option<bool> Interactive = new("--interactive", "-i") { Description = "Keep STDIN open" };
    private static readonly Option<bool> Tty = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
    private static readonly Option<string[]> Env = new("--env", "-e") { Description = "Set environment variables" };
    private static readonly Option<string[]> EnvFile = new("--env-file") { Description = "Read in a file of environment variables" };
    private static readonly Option<string?> Workdir = new("--workdir", "-w") { Description = "Working directory inside the container" };
    private static readonly Option<string?> User = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
    private static readonly Option<string?> Hostname = new("--hostname") { Description = "Container host name" };
    private static readonly Option<string?> Name = new("--name") { Description = "Assign a name to the container" };
    private static readonly Option<string?> Entrypoint = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };
    private static readonly Option<string?> Memory = new("--memory", "-m") { Description = "Memory limit" };
    private static readonly Option<string?> Cpus = new("--cpus") { Description = "Number of CPUs" };
    private static readonly Option<string?> PidsLimit = new("--pids-limit") { Description = "Tune container pids limit (-1 for unlimited)" };
    private static readonly Option<bool> ReadOnly = new("--read-only") { Description = "Mount the container's root filesystem as read only" };
    private static readonly Option<string?> Network = new("--network", "--net") { Description = "Connect a container to a network (none, host)" };
    private static readonly Option<bool> Detach = new("--detach", "-d") { Description = "Run container in background and print container ID" };
    private static readonly Option<string?> Restart = new("--restart") { Description = "Restart policy to apply when a container exits (no, on-failure[:N], always, unless-stopped)" };
    private static readonly Option<string?> StopSignal = new("--stop-signal") { Description = "Signal to stop the container" };
    private static readonly Option<string[]> Volume = new("--volume", "-v") { Description = "Bind mount a volume ([SOURCE:]TARGET[:ro])" };
    private static readonly Option<string[]> Mount = new("--mount") { Description = "Attach a filesystem mount to the container (type=bind|volume|tmpfs,...)" };
    private static readonly Option<string[]> Tmpfs = new("--tmpfs") { Description = "Mount a tmpfs directory (PATH[:OPTIONS])" };
    private static readonly Option<string[]> CapAdd = new("--cap-add") { Description = "Add Linux capabilities" };
    private static readonly Option<string[]> CapDrop = new("--cap-drop") { Description = "Drop Linux capabilities" };

    private static readonly Argument<string[]> ImageAndCommand = new("IMAGE [COMMAND] [ARG...]")
    {
        Arity = ArgumentArity.OneOrMore,
        // docker's rule: run's options end at the image; everything after it is the command.
        CaptureRemainingTokens = true,
    };

    public static Command Create() => Define("run", "Create and run a new container from an image", Execute, withDetach: true);

    /// <summary>run and create share every option but --detach (docker's container create flags).</summary>
    public static Command Define(string name, string description, Func<ParseResult, int> action, bool withDetach)
    {
        var command = new Command(name, description)
        {
            Rm, Interactive, Tty, Env, EnvFile, Workdir, User, Hostname, Name, Entrypoint, Memory, Cpus, PidsLimit, ReadOnly, Network,
            Restart, StopSignal, Volume, Mount, Tmpfs, CapAdd, CapDrop, ImageAndCommand,
        };
        if (withDetach)
        {
            command.Options.Add(Detach);
        }

        command.SetAction(action);
        return command;
    }

    private static int Execute(ParseResult result)
    {
        var options = ToOptions(result);
        var engine = new AnchorEngine(GlobalOptions.Paths(result));
        if (!options.Detach)
        {
            return engine.Runner.Run(options);
        }

        var record = engine.Lifecycle.Create(options);
        engine.Lifecycle.Start(record.Id);
        Console.WriteLine(record.Id);
        return 0;
    }

    public static RunOptions ToOptions(ParseResult result)
    {
        var positional = result.GetValue(ImageAndCommand) ?? [];
        if (positional[0].StartsWith('-'))
        {
            // The first capturing token was an option nobody declared (docker/cobra's wording).
            throw new EngineException($"unknown flag: {positional[0]}\nSee 'anchor run --help'.");
        }

        var env = new List<string>();
        foreach (var file in result.GetValue(EnvFile) ?? [])
        {
            env.AddRange(Anchor.Engine.Run.EnvFile.Parse(ReadEnvFile(file)));
        }

        foreach (var entry in result.GetValue(Env) ?? [])
        {
            if (Anchor.Engine.Run.EnvFile.ExpandBare(entry) is { } expanded)
            {
                env.Add(expanded);
            }
        }

        var capAdd = result.GetValue(CapAdd) ?? [];
        var capDrop = result.GetValue(CapDrop) ?? [];
        _ = CapabilitySet.Resolve(capAdd, capDrop); // unknown names fail here, before anything is made
        return new RunOptions
        {
            Image = positional[0],
            Command = positional[1..],
            Remove = result.GetValue(Rm),
            Interactive = result.GetValue(Interactive),
            Tty = result.GetValue(Tty),
            Env = env,
            WorkingDir = result.GetValue(Workdir),
            User = result.GetValue(User),
            Hostname = result.GetValue(Hostname),
            Name = result.GetValue(Name),
            Entrypoint = result.GetValue(Entrypoint),
            MemoryBytes = ParseMemory(result.GetValue(Memory)),
            CpuQuota = ParseCpus(result.GetValue(Cpus)),
            PidsLimit = ParsePids(result.GetValue(PidsLimit)),
            ReadOnly = result.GetValue(ReadOnly),
            Network = ParseNetwork(result.GetValue(Network)),
            Detach = result.GetResult(Detach) is not null && result.GetValue(Detach),
            Restart = result.GetValue(Restart) is { } restart ? RestartPolicy.Parse(restart) : RestartPolicy.No,
            StopSignal = result.GetValue(StopSignal),
            Mounts = [
                .. (result.GetValue(Volume) ?? []).Select(MountSpecParser.ParseVolume),
                .. (result.GetValue(Mount) ?? []).Select(MountSpecParser.ParseMount),
                .. (result.GetValue(Tmpfs) ?? []).Select(MountSpecParser.ParseTmpfs),
            ],
            CapAdd = capAdd,
            CapDrop = capDrop,
        };
    }

    private static string[] ReadEnvFile(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException e)
        {
            throw new EngineException($"open {path}: {e.Message}");
        }
    }

    private static long? ParseMemory(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!ByteSize.TryParse(value, out var bytes) || bytes < 0)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"-m, --memory\" flag: invalid size: '{value}'");
        }

        // docker: "Minimum memory limit allowed is 6MB".
        if (bytes != 0 && bytes < 6 * 1024 * 1024)
        {
            throw new EngineException("Minimum memory limit allowed is 6MB");
        }

        return bytes == 0 ? null : bytes;
    }

    private static long? ParseCpus(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!CpuQuota.TryParse(value, out var quota))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--cpus\" flag: failed to parse {value} as a rational number");
        }

        return quota;
    }

    private static long? ParsePids(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var limit))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax");
        }

        return limit <= 0 ? null : limit;
    }

    private static NetworkMode ParseNetwork(string? value) => value switch
    {
        null or "none" or "default" => NetworkMode.None,
        "host" => NetworkMode.Host,
        _ => throw new EngineException($"network {value} not found"),
    };
}
