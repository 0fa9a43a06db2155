using Anchor.Build;
using Anchor.Build.Dockerfile;
using Anchor.Oci.Image;

namespace Anchor.Engine.Images;

/// <summary>
/// docker import/commit <c>--change</c>: Dockerfile instructions applied to a container config, as
/// moby's BuildFromConfig does: only the instructions of its validCommitCommands (CMD, ENTRYPOINT,
/// ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR), each parsed by the
/// Dockerfile parser and with $VARIABLES expanded from the config's Env, as a build step would.
/// </summary>
public static class ConfigChanges
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    public static ContainerConfig Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(changes);
        // moby's BuildFromConfig checks every instruction's keyword against validCommitCommands
        // before it parses any instruction's arguments (an unknown one is no "unknown instruction").
        foreach (var change in changes)
        {
            var keyword = Keyword(change);
            if (keyword.Length > 0 && !Allowed.Contains(keyword))
            {
                throw NotAllowed(keyword);
            }
        }

        foreach (var change in changes)
        {
            try
            {
                config = Apply(config, DockerfileParser.ParseInstruction(change, 1));
            }
            catch (BuildException e)
            {
                throw new EngineException(e.Message);
            }
        }

        return config;
    }

    private static ContainerConfig Apply(ContainerConfig config, Instruction instruction)
    {
        var keyword = instruction.Keyword;
        if (!Allowed.Contains(keyword))
        {
            throw NotAllowed(keyword);
        }

        var lex = new ShellLex(name => Lookup(config.Env, name));
        IReadOnlyList<string> Words() => instruction.Json?.Select(lex.ProcessWord).ToList() ?? [.. lex.ProcessWords(instruction.Arguments)];
        return keyword switch
        {
            "CMD" => config with { Cmd = CommandForm(instruction) },
            "ENTRYPOINT" => config with { Entrypoint = CommandForm(instruction) },
            "ENV" => config with { Env = SetEnv(config.Env, instruction.Pairs.Select(p => (lex.ProcessWord(p.Key), lex.ProcessWord(p.Value ?? "")))) },
            "LABEL" => config with { Labels = Merge(config.Labels, instruction.Pairs.Select(p => (lex.ProcessWord(p.Key), lex.ProcessWord(p.Value ?? "")))) },
            "WORKDIR" => config with { WorkingDir = WorkingDir(config.WorkingDir, lex.ProcessWord(instruction.Arguments)) },
            "USER" => config with { User = lex.ProcessWord(instruction.Arguments) },
            "STOPSIGNAL" => config with { StopSignal = lex.ProcessWord(instruction.Arguments) },
            "EXPOSE" => config with { ExposedPorts = Keys(config.ExposedPorts, Words().Select(p => p.Contains('/', StringComparison.Ordinal) ? p : p + "/tcp")) },
            "VOLUME" => config with { Volumes = Keys(config.Volumes, Words()) },
            "ONBUILD" => config with { OnBuild = [.. config.OnBuild ?? [], Trigger(instruction.Arguments)] },
            "HEALTHCHECK" => config with { Healthcheck = HealthcheckInstruction.Parse(instruction, "") },
            _ => config,
        };
    }

    /// <summary>The instruction's keyword as the Dockerfile parser reads it: the first word, upper-cased.</summary>
    private static string Keyword(string change)
    {
        var text = change.TrimStart();
        var end = text.AsSpan().IndexOfAny(" \t\r\n");
        return (end < 0 ? text : text[..end]).ToUpperInvariant();
    }

    /// <summary>The daemon's refusal (errdefs.InvalidParameter), the keyword lower-cased as its parser keeps it.</summary>
    private static EngineException NotAllowed(string keyword) =>
        EngineException.Daemon(EngineErrorKind.InvalidParameter, $"{keyword.ToLowerInvariant()} is not a valid change command", 1);

    /// <summary>JSON (exec) form is used as is; shell form runs under /bin/sh -c, as in a Dockerfile.</summary>
    private static IReadOnlyList<string> CommandForm(Instruction instruction) =>
        instruction.Json ?? ["/bin/sh", "-c", instruction.Arguments];

    private static string? Lookup(IReadOnlyList<string>? env, string name)
    {
        var prefix = name + "=";
        return env?.LastOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    /// <summary>ENV replaces a variable in place, as a build's ENV does; a new one is appended.</summary>
    private static List<string> SetEnv(IReadOnlyList<string>? env, IEnumerable<(string Key, string Value)> pairs)
    {
        var result = (env ?? []).ToList();
        foreach (var (key, value) in pairs)
        {
            var index = result.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal) || e == key);
            if (index >= 0)
            {
                result[index] = $"{key}={value}";
            }
            else
            {
                result.Add($"{key}={value}");
            }
        }

        return result;
    }

    private static string WorkingDir(string? current, string value) =>
        value.StartsWith('/') || string.IsNullOrEmpty(current) ? value : current.TrimEnd('/') + "/" + value;

    /// <summary>ONBUILD's trigger keeps its text with the instruction word upper-cased (the builder's form).</summary>
    private static string Trigger(string arguments)
    {
        var trigger = arguments.Trim();
        var space = trigger.IndexOfAny([' ', '\t']);
        return space < 0 ? trigger.ToUpperInvariant() : trigger[..space].ToUpperInvariant() + trigger[space..];
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string>? existing, IEnumerable<(string Key, string Value)> pairs)
    {
        var result = existing is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(existing, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            result[key] = value;
        }

        return result;
    }

    private static Dictionary<string, EmptyObject> Keys(Dictionary<string, EmptyObject>? existing, IEnumerable<string> keys)
    {
        var result = existing is null ? new Dictionary<string, EmptyObject>(StringComparer.Ordinal) : new Dictionary<string, EmptyObject>(existing, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            result[key] = new EmptyObject();
        }

        return result;
    }
}
