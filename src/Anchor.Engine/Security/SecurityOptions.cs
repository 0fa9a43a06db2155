namespace Anchor.Engine.Security;

/// <summary>
/// A container's --security-opt values as the daemon reads them (moby daemon/daemon_unix.go
/// parseSecurityOpt). On a host without AppArmor and SELinux, as Anchor's, apparmor= and label=
/// are accepted and have no effect (moby saveAppArmorConfig / go-selinux InitLabels do nothing).
/// </summary>
public sealed record SecurityOptions
{
    public static readonly SecurityOptions None = new();

    public bool NoNewPrivileges { get; init; }

    /// <summary>Null (docker's default profile), "unconfined", "builtin" (the default too), or a profile's JSON.</summary>
    public string? SeccompProfile { get; init; }

    public string? AppArmorProfile { get; init; }

    public IReadOnlyList<string> LabelOptions { get; init; } = [];

    /// <summary>writable-cgroups=BOOL; Anchor mounts no cgroup filesystem in containers, so it changes nothing.</summary>
    public bool? WritableCgroups { get; init; }

    public bool Unconfined => SeccompProfile == SecurityOpt.Unconfined;

    /// <summary>Whether the value names a profile's JSON rather than one of docker's special names.</summary>
    public bool HasCustomSeccompProfile => SeccompProfile is { } p && p != SecurityOpt.Unconfined && p != SecurityOpt.Builtin;

    /// <summary>Reads stored values (<see cref="SecurityOpt.FromCommandLine"/> output); throws docker's error for a bad one.</summary>
    public static SecurityOptions Parse(IReadOnlyList<string>? stored)
    {
        if (stored is not { Count: > 0 })
        {
            return None;
        }

        var result = new SecurityOptions();
        var labels = new List<string>();
        foreach (var opt in stored)
        {
            switch (opt)
            {
                case "no-new-privileges":
                    result = result with { NoNewPrivileges = true };
                    continue;
                case "writable-cgroups":
                    result = result with { WritableCgroups = true };
                    continue;
                case "disable":
                    labels.Add("disable");
                    continue;
            }

            // The daemon splits at '=' when there is one, else at ':' (deprecated but accepted).
            var separator = opt.Contains('=', StringComparison.Ordinal) ? '=' : ':';
            var at = opt.IndexOf(separator, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new EngineException($"invalid --security-opt 1: \"{opt}\"");
            }

            var (key, value) = (opt[..at], opt[(at + 1)..]);
            if (key == "label")
            {
                labels.Add(value);
                continue;
            }

            result = key switch
            {
                "apparmor" => result with { AppArmorProfile = value },
                "seccomp" => result with { SeccompProfile = value },
                "no-new-privileges" => result with { NoNewPrivileges = ParseBool(value) ?? throw Invalid2(opt) },
                "writable-cgroups" => result with { WritableCgroups = ParseBool(value) ?? throw Invalid2(opt) },
                _ => throw Invalid2(opt),
            };
        }

        return result with { LabelOptions = labels };
    }

    private static EngineException Invalid2(string opt) => new($"invalid --security-opt 2: \"{opt}\"");

    /// <summary>Go's strconv.ParseBool.</summary>
    internal static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
