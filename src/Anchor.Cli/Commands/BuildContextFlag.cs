using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>build --build-context NAME=VALUE</c> (buildx's named contexts): VALUE is
/// <c>docker-image://REF</c> (an image, local or pulled) or a local directory, kept as its full
/// path. Git and HTTP URLs, <c>oci-layout://</c> and bake's <c>target:</c> are refused: anchor has
/// no source of those kinds.
/// </summary>
public static class BuildContextFlag
{
    public const string DockerImage = "docker-image://";

    public static Dictionary<string, string> ParseAll(IEnumerable<string> values)
    {
        var contexts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == value.Length - 1)
            {
                throw new EngineException($"invalid context value: {value}, expected key=value", 125);
            }

            var name = value[..eq];
            var source = value[(eq + 1)..];
            if (source.StartsWith(DockerImage, StringComparison.Ordinal))
            {
                if (source.Length == DockerImage.Length)
                {
                    throw new EngineException($"invalid context value: {value}: docker-image:// needs an image reference", 125);
                }

                contexts[name] = source;
                continue;
            }

            if (source.Contains("://", StringComparison.Ordinal) || source.StartsWith("target:", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal))
            {
                throw new EngineException($"invalid context value: {value}: anchor build takes a local directory or docker-image://REF", 125);
            }

            var full = Path.GetFullPath(source);
            if (!Directory.Exists(full))
            {
                throw new EngineException($"unable to prepare context: path {Output.Templates.GoQuote.Quote(source)} not found", 1);
            }

            contexts[name] = full;
        }

        return contexts;
    }
}
