using System.Globalization;
using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.OciRuntime;
using Anchor.Oci.Runtime;

namespace Anchor.Cli.Oci;

/// <summary>
/// runc's <c>update</c> and <c>events</c> (update.go, events.go): flags or a resources JSON file
/// (the runtime-spec's linux.resources; "-" is stdin; given a file, the flags are ignored, as runc
/// does), and stats events as JSON lines.
/// </summary>
public static class OciResourceCommands
{
    private static readonly string[] UpdateStrings =
    [
        "resources|r", "blkio-weight", "cpu-period", "cpu-quota", "cpu-share", "cpu-rt-period", "cpu-rt-runtime", "cpuset-cpus", "cpuset-mems",
        "memory", "memory-reservation", "memory-swap", "pids-limit", "l3-cache-schema", "mem-bw-schema", "kernel-memory", "kernel-memory-tcp",
    ];

    public static int Update(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["help|h"], UpdateStrings, stopAtFirstPositional: false, out _);
        if (parsed.Positional.Count != 1)
        {
            Console.Out.Write("Incorrect Usage.\n\n");
            throw new OciUsageException($"{Environment.GetCommandLineArgs()[0]}: \"update\" requires exactly 1 argument(s)");
        }

        var resources = parsed.String("resources") is { } file ? FromFile(file) : FromFlags(parsed);
        new OciResources(root).Update(parsed.Positional[0], resources);
        return 0;
    }

    /// <summary>runc events ID: a stats event every --interval until the container stops; with --stats one, then the end.</summary>
    public static int Events(OciRuntimeRoot root, List<string> args)
    {
        var parsed = OciArguments.Parse(args, ["stats", "help|h"], ["interval"], stopAtFirstPositional: false, out _);
        if (parsed.Positional.Count != 1)
        {
            Console.Out.Write("Incorrect Usage.\n\n");
            throw new OciUsageException($"{Environment.GetCommandLineArgs()[0]}: \"events\" requires exactly 1 argument(s)");
        }

        var id = parsed.Positional[0];
        var interval = Interval(parsed.String("interval") ?? "5s");
        var resources = new OciResources(root);
        using var stdout = Console.OpenStandardOutput();
        var first = true;
        while (true)
        {
            if (resources.Sample(id) is not { } sample)
            {
                // runc refuses a stopped container; a container that stops while followed ends the stream.
                return first ? throw OciResources.NotRunning(id) : 0;
            }

            stdout.Write(OciStatsEvent.Render(id, sample));
            stdout.Flush();
            if (parsed.Bool("stats"))
            {
                return 0;
            }

            first = false;
            Thread.Sleep(interval);
        }
    }

    private static SpecResources FromFile(string file)
    {
        try
        {
            var bytes = file == "-" ? ReadStdin() : File.ReadAllBytes(file);
            return JsonSerializer.Deserialize(bytes, Anchor.Oci.OciJsonContext.Default.SpecResources) ?? new SpecResources();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EngineException($"open {file}: no such file or directory", OciRuntimeRoot.ErrorExit);
        }
        catch (JsonException e)
        {
            throw new EngineException($"{file}: {e.Message}", OciRuntimeRoot.ErrorExit);
        }
    }

    private static byte[] ReadStdin()
    {
        using var stdin = Console.OpenStandardInput();
        using var copy = new MemoryStream();
        stdin.CopyTo(copy);
        return copy.ToArray();
    }

    private static SpecResources FromFlags(OciArguments parsed)
    {
        foreach (var unsupported in new[] { "cpu-rt-period", "cpu-rt-runtime", "l3-cache-schema", "mem-bw-schema", "kernel-memory", "kernel-memory-tcp" })
        {
            if (parsed.IsSet(unsupported))
            {
                throw new EngineException($"update --{unsupported} is not supported by anchor's OCI runtime yet", OciRuntimeRoot.ErrorExit);
            }
        }

        var limit = Size(parsed, "memory");
        var reservation = Size(parsed, "memory-reservation");
        var swap = Size(parsed, "memory-swap");
        var period = Number(parsed, "cpu-period");
        var quota = Number(parsed, "cpu-quota");
        var shares = Number(parsed, "cpu-share");
        var (cpus, mems) = (parsed.String("cpuset-cpus"), parsed.String("cpuset-mems"));
        var pids = Number(parsed, "pids-limit");
        var weight = Number(parsed, "blkio-weight");
        return new SpecResources
        {
            Memory = limit is null && reservation is null && swap is null ? null : new SpecMemory { Limit = limit, Reservation = reservation, Swap = swap },
            Cpu = period is null && quota is null && shares is null && cpus is null && mems is null
                ? null
                : new SpecCpu { Period = (ulong?)period, Quota = quota, Shares = (ulong?)shares, Cpus = cpus, Mems = mems },
            Pids = pids is null ? null : new SpecPids { Limit = pids.Value },
            BlockIo = weight is null ? null : new SpecBlockIo { Weight = (ushort)weight.Value },
        };
    }

    /// <summary>runc reads memory values with go-units RAMInBytes ("50M"); -1 is unlimited.</summary>
    private static long? Size(OciArguments parsed, string name)
    {
        if (parsed.String(name) is not { } value)
        {
            return null;
        }

        if (value == "-1")
        {
            return -1;
        }

        return Anchor.Engine.Units.ByteSize.TryParse(value, out var bytes) && bytes >= 0
            ? bytes
            : throw new EngineException($"invalid value for {name}: invalid size: '{value}'", OciRuntimeRoot.ErrorExit);
    }

    private static long? Number(OciArguments parsed, string name) =>
        parsed.String(name) is not { } value
            ? null
            : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new EngineException($"invalid value for {name}: strconv.ParseInt: parsing \"{value}\": invalid syntax", OciRuntimeRoot.ErrorExit);

    /// <summary>A Go duration of the simple forms runc users write: 500ms, 5s, 1m.</summary>
    private static TimeSpan Interval(string value)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : (value, double.NaN);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && !double.IsNaN(unit) && amount > 0
            ? TimeSpan.FromSeconds(amount * unit)
            : throw new EngineException($"invalid value \"{value}\" for flag -interval: parse error", OciRuntimeRoot.ErrorExit);
    }
}
