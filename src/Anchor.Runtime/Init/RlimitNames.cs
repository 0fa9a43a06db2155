namespace Anchor.Runtime.Init;

/// <summary>The runtime spec's rlimit names (config.md "rlimits": RLIMIT_NOFILE…) and their numbers (asm-generic/resource.h).</summary>
public static class RlimitNames
{
    private static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    /// <summary>The resource number of a spec name; unknown names are refused, as runc refuses them.</summary>
    public static int Resource(string type)
    {
        var index = Array.IndexOf(Names, type);
        return index >= 0 ? index : throw new ArgumentException($"unknown rlimit type {type}", nameof(type));
    }
}
