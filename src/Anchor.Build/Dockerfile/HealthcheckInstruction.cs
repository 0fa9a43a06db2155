using System.Globalization;
using Anchor.Oci.Image;

namespace Anchor.Build.Dockerfile;

/// <summary>
/// HEALTHCHECK's arguments as a config's Healthcheck (Dockerfile reference, "HEALTHCHECK"): NONE,
/// or CMD in exec form (["CMD", …]) or shell form (["CMD-SHELL", "…"]) with its duration flags.
/// Shared by the builder and by commit/import's <c>--change</c>.
/// </summary>
public static class HealthcheckInstruction
{
    /// <param name="errorPrefix">What a bad --retries error starts with (the builder's "Dockerfile:LINE: ").</param>
    public static HealthConfig Parse(Instruction instruction, string errorPrefix)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var words = DockerfileParser.Words(instruction.Arguments);
        if (words[0].Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return new HealthConfig { Test = ["NONE"] };
        }

        var rest = instruction.Arguments.TrimStart()[words[0].Length..].TrimStart();
        IReadOnlyList<string> test = rest.StartsWith('[') && DockerfileParser.TryJsonArray(rest, out var items)
            ? ["CMD", .. items]
            : ["CMD-SHELL", rest];
        long Duration(string flag) => instruction.Flag(flag) is { } v ? GoDuration.Parse(v) : 0;
        var retries = instruction.Flag("retries") is { } r
            ? int.TryParse(r, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new BuildException($"{errorPrefix}--retries must be a non-negative integer")
            : 0;
        return new HealthConfig
        {
            Test = test,
            Interval = Duration("interval"),
            Timeout = Duration("timeout"),
            StartPeriod = Duration("start-period"),
            StartInterval = Duration("start-interval"),
            Retries = retries,
        };
    }
}
