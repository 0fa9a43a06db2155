using System.Globalization;

namespace Anchor.Engine.Run;

/// <summary>
/// --restart no|on-failure[:N]|always|unless-stopped (docker run reference, "Restart policies").
/// The monitor applies it while the host is up.
/// </summary>
public sealed record RestartPolicy(string Name, int MaximumRetryCount)
{
    public static readonly RestartPolicy No = new("no", 0);

    public static RestartPolicy Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        var count = 0;
        if (colon >= 0 && name == "on-failure" && int.TryParse(value[(colon + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count) && count < 0)
        {
            // docker's client takes any integer; its daemon refuses a negative one (daemon/container.go).
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "maximum retry count cannot be negative");
        }

        if (colon >= 0 && (name != "on-failure" || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out count)))
        {
            throw new EngineException(name == "on-failure"
                ? $"invalid restart policy format: maximum retry count must be an integer"
                : $"invalid restart policy format: maximum retry count can only be used with 'on-failure'");
        }

        return name switch
        {
            "no" or "" => No,
            "always" or "unless-stopped" or "on-failure" => new RestartPolicy(name, count),
            // docker's client passes any name on; the daemon names the policy it refuses.
            _ => throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid restart policy '{name}'"),
        };
    }

    /// <summary>Whether a container that exited with <paramref name="exitCode"/> comes back.</summary>
    public bool ShouldRestart(int exitCode, int restartCount, bool stoppedByUser) => Name switch
    {
        _ when stoppedByUser => false,
        "always" or "unless-stopped" => true,
        "on-failure" => exitCode != 0 && (MaximumRetryCount == 0 || restartCount < MaximumRetryCount),
        _ => false,
    };
}
