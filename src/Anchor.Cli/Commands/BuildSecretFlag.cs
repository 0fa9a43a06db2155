using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>build --secret id=ID,src=FILE</c> or <c>id=ID,env=VAR</c> (docker build's BuildKit forms;
/// <c>source=</c>, <c>type=file</c> and <c>type=env</c> accepted): a file is read only while RUN
/// steps mount it and must exist when the build starts, as buildx checks it; a variable is read now.
/// With neither, buildkit's secretsprovider takes the variable named ID when it is set, else the file ID.
/// </summary>
public static class BuildSecretFlag
{
    /// <summary>The file secrets (ID to full path) and the variable ones (ID to value).</summary>
    public static (Dictionary<string, string> Files, Dictionary<string, string> Values) ParseAll(IEnumerable<string> values, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var fromEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            string? id = null;
            string? source = null;
            string? env = null;
            string? type = null;
            foreach (var field in value.Split(','))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? field : field[..eq].ToLowerInvariant();
                var text = eq < 0 ? "" : field[(eq + 1)..];
                switch (key)
                {
                    case "id":
                        id = text;
                        break;
                    case "src" or "source":
                        source = text;
                        break;
                    case "env":
                        env = text;
                        break;
                    case "type" when text is "file" or "env":
                        type = text;
                        break;
                    default:
                        throw new EngineException($"invalid argument \"{value}\" for \"--secret\" flag: unexpected key '{key}' in '{field}' (anchor reads id=ID,src=FILE or id=ID,env=VAR)", 125);
                }
            }

            if (string.IsNullOrEmpty(id))
            {
                throw new EngineException($"invalid argument \"{value}\" for \"--secret\" flag: secret missing ID", 125);
            }

            // buildx: type=env names the variable with src=; buildkit: neither given, ID itself.
            if (type == "env" && env is null)
            {
                (env, source) = (source ?? id, null);
            }
            else if (env is null && string.IsNullOrEmpty(source))
            {
                if (environment(id) is not null)
                {
                    env = id;
                }
                else
                {
                    source = id;
                }
            }

            if (env is not null)
            {
                fromEnv[id] = environment(env) ?? throw new EngineException($"secret {id}: environment variable {env} is not set", 125);
                secrets.Remove(id);
                continue;
            }

            source ??= id;

            var full = Path.GetFullPath(source);
            if (!File.Exists(full))
            {
                throw new EngineException($"failed to stat {full}: no such file or directory", 125);
            }

            secrets[id] = full;
            fromEnv.Remove(id);
        }

        return (secrets, fromEnv);
    }
}
