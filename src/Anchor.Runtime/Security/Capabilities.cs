namespace Anchor.Runtime.Security;

/// <summary>
/// Linux capabilities by name and number (linux/capability.h, capabilities(7)), docker's default
/// set, and --cap-add/--cap-drop resolution. Applying sets to the init thread is in Capabilities.Apply.cs.
/// </summary>
public static partial class Capabilities
{
    /// <summary>Every capability name, indexed by its number: CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
        "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
        "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>
    /// docker's default set (moby oci/caps/defaults.go DefaultCapabilities), in docker's order.
    /// As a mask: 0x00000000a80425fb.
    /// </summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
        "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static readonly Dictionary<string, int> NumberByName = BuildIndex();

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < All.Count; i++)
        {
            index[All[i]] = i;
        }

        return index;
    }

    /// <summary>The capability's number; accepts "chown", "CAP_CHOWN", any case.</summary>
    public static bool TryGetNumber(string name, out int number) =>
        NumberByName.TryGetValue(Normalize(name), out number);

    /// <summary>The capability's number, or ArgumentException "unknown capability".</summary>
    public static int Number(string name) =>
        TryGetNumber(name, out var number) ? number : throw Unknown(name);

    /// <summary>The name of capability <paramref name="number"/>, e.g. 0 is CAP_CHOWN.</summary>
    public static string Name(int number) =>
        number >= 0 && number < All.Count
            ? All[number]
            : throw new ArgumentOutOfRangeException(nameof(number), number, "no such capability");

    /// <summary>Upper case with the CAP_ prefix, as docker's NormalizeLegacyCapabilities does.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var upper = name.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
    }

    /// <summary>The bit mask of the named capabilities (bit n for capability n), as in /proc/PID/status CapEff.</summary>
    public static ulong ToMask(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var mask = 0UL;
        foreach (var name in names)
        {
            mask |= 1UL << Number(name);
        }

        return mask;
    }

    /// <summary>The names of the bits set in <paramref name="mask"/>, lowest first.</summary>
    public static IReadOnlyList<string> FromMask(ulong mask) =>
        [.. Enumerable.Range(0, All.Count).Where(i => (mask & (1UL << i)) != 0).Select(i => All[i])];

    private static ArgumentException Unknown(string name) => new($"unknown capability: \"{Normalize(name)}\"");
}
