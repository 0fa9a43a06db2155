using Anchor.Linux.Interop;

namespace Anchor.Runtime.Security;

/// <summary>
/// The spec's seccomp vocabulary (SCMP_ACT_*, SCMP_CMP_*, SCMP_ARCH_*, SECCOMP_FILTER_FLAG_*) and
/// what libseccomp and seccomp(2) take for each, with runc's rules and error wording
/// (libcontainer/seccomp/config.go, seccomp_linux.go getAction).
/// </summary>
internal static class SeccompNames
{
    private const uint EPERM = 1;

    /// <summary>SCMP_ARCH_* (the spec's names) to libseccomp's own names, runc's list.</summary>
    private static readonly Dictionary<string, string> Architectures = new(StringComparer.Ordinal)
    {
        ["SCMP_ARCH_X86"] = "x86",
        ["SCMP_ARCH_X86_64"] = "x86_64",
        ["SCMP_ARCH_X32"] = "x32",
        ["SCMP_ARCH_ARM"] = "arm",
        ["SCMP_ARCH_AARCH64"] = "aarch64",
        ["SCMP_ARCH_MIPS"] = "mips",
        ["SCMP_ARCH_MIPS64"] = "mips64",
        ["SCMP_ARCH_MIPS64N32"] = "mips64n32",
        ["SCMP_ARCH_MIPSEL"] = "mipsel",
        ["SCMP_ARCH_MIPSEL64"] = "mipsel64",
        ["SCMP_ARCH_MIPSEL64N32"] = "mipsel64n32",
        ["SCMP_ARCH_PPC"] = "ppc",
        ["SCMP_ARCH_PPC64"] = "ppc64",
        ["SCMP_ARCH_PPC64LE"] = "ppc64le",
        ["SCMP_ARCH_RISCV64"] = "riscv64",
        ["SCMP_ARCH_S390"] = "s390",
        ["SCMP_ARCH_S390X"] = "s390x",
        ["SCMP_ARCH_LOONGARCH64"] = "loongarch64",
    };

    /// <summary>libseccomp's name of an SCMP_ARCH_* (throws for a name runc does not know).</summary>
    public static string Architecture(string name) =>
        Architectures.TryGetValue(name, out var native) ? native : throw new SeccompException($"string {name} is not a valid arch for seccomp");

    /// <summary>
    /// The action value of an SCMP_ACT_* with its errnoRet. Errno and trace without errnoRet mean
    /// EPERM; kill is kill-thread (runc getAction). Notify needs a seccomp agent, which Anchor has not.
    /// </summary>
    public static uint Action(string name, uint? errnoRet) => name switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => LibSeccomp.SCMP_ACT_KILL_THREAD,
        "SCMP_ACT_KILL_PROCESS" => LibSeccomp.SCMP_ACT_KILL_PROCESS,
        "SCMP_ACT_ERRNO" => LibSeccomp.SCMP_ACT_ERRNO(errnoRet ?? EPERM),
        "SCMP_ACT_TRAP" => LibSeccomp.SCMP_ACT_TRAP,
        "SCMP_ACT_ALLOW" => LibSeccomp.SCMP_ACT_ALLOW,
        "SCMP_ACT_TRACE" => LibSeccomp.SCMP_ACT_TRACE(errnoRet ?? EPERM),
        "SCMP_ACT_LOG" => LibSeccomp.SCMP_ACT_LOG,
        "SCMP_ACT_NOTIFY" => throw new SeccompException("seccomp action SCMP_ACT_NOTIFY is not supported: Anchor has no seccomp agent (listenerPath)"),
        _ => throw new SeccompException($"string {name} is not a valid action for seccomp"),
    };

    /// <summary>
    /// Whether an action lets the call through: runc's ENOSYS stub is only added in front of a
    /// filter whose default refuses (trace counts as allowing: a tracer handles unknown calls).
    /// </summary>
    public static bool Allows(string name) => name is "SCMP_ACT_ALLOW" or "SCMP_ACT_LOG" or "SCMP_ACT_TRACE";

    public static int Operator(string name) => name switch
    {
        "SCMP_CMP_NE" => LibSeccomp.SCMP_CMP_NE,
        "SCMP_CMP_LT" => LibSeccomp.SCMP_CMP_LT,
        "SCMP_CMP_LE" => LibSeccomp.SCMP_CMP_LE,
        "SCMP_CMP_EQ" => LibSeccomp.SCMP_CMP_EQ,
        "SCMP_CMP_GE" => LibSeccomp.SCMP_CMP_GE,
        "SCMP_CMP_GT" => LibSeccomp.SCMP_CMP_GT,
        "SCMP_CMP_MASKED_EQ" => LibSeccomp.SCMP_CMP_MASKED_EQ,
        _ => throw new SeccompException($"string {name} is not a valid operator for seccomp"),
    };

    /// <summary>
    /// seccomp(2)'s flags for the spec's. Null means runc's default, SPEC_ALLOW (no speculative
    /// store bypass mitigation forced on the container). TSYNC is accepted and ignored as runc
    /// does: the filter goes on the thread that becomes the container's process.
    /// </summary>
    public static uint Flags(IReadOnlyList<string>? flags)
    {
        if (flags is null)
        {
            return LibC.SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        }

        var result = 0u;
        foreach (var flag in flags)
        {
            result |= flag switch
            {
                "SECCOMP_FILTER_FLAG_TSYNC" => 0,
                "SECCOMP_FILTER_FLAG_LOG" => LibC.SECCOMP_FILTER_FLAG_LOG,
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => LibC.SECCOMP_FILTER_FLAG_SPEC_ALLOW,
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" => throw new SeccompException("seccomp flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported: it applies to SCMP_ACT_NOTIFY, which Anchor has not"),
                _ => throw new SeccompException($"seccomp flag {flag} is not known"),
            };
        }

        return result;
    }
}
