using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>build --secret id=ID,src=FILE</c> (docker build's BuildKit form; <c>source=</c> and
/// <c>type=file</c> accepted): the file is read only while RUN steps mount it. The file must
/// exist when the build starts, as buildx checks it.
/// </summary>
public static class BuildSecretFlag
{
    public static Dictionary<string, string> ParseAll(IEnumerable<string> values)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            string? id = null;
            string? source = null;
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
                    case "type" when text == "file":
                        break;
                    default:
                        throw new EngineException($"invalid argument \"{value}\" for \"--secret\" flag: unexpected key '{key}' in '{field}' (anchor reads id=ID,src=FILE)", 125);
                }
            }

            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(source))
            {
                throw new EngineException($"invalid argument \"{value}\" for \"--secret\" flag: id and src are required (id=ID,src=FILE)", 125);
            }

            var full = Path.GetFullPath(source);
            if (!File.Exists(full))
            {
                throw new EngineException($"failed to stat {full}: no such file or directory", 125);
            }

            secrets[id] = full;
        }

        return secrets;
    }
}
