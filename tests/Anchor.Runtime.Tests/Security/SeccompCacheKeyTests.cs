using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

public sealed class SeccompCacheKeyTests
{
    private const string Library = "libseccomp.so.2.5.4 129312 1716595200.0 42";

    private static SpecSeccomp Spec() => new()
    {
        DefaultAction = "SCMP_ACT_ERRNO",
        DefaultErrnoRet = 1,
        Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
        Syscalls =
        [
            new SpecSeccompSyscall { Names = ["read", "write"], Action = "SCMP_ACT_ALLOW" },
            new SpecSeccompSyscall
            {
                Names = ["clone"],
                Action = "SCMP_ACT_ALLOW",
                Args = [new SpecSeccompArg { Index = 0, Value = 0x7E020000, Op = "SCMP_CMP_MASKED_EQ" }],
            },
        ],
    };

    /// <summary>
    /// The encoding is fixed: this value (computed independently from the encoding described in
    /// SeccompCacheKey) holds in every process and run; change it only with the encoding's version.
    /// </summary>
    [Fact]
    public void Compute_KnownSpec_GivesTheSameKeyInEveryRun()
    {
        var key = SeccompCacheKey.Compute(Spec(), Library, "x86_64");

        Assert.Equal(key, SeccompCacheKey.Compute(Spec(), Library, "x86_64"));
        Assert.Equal("7e95888e5e843f2720f758aa0687ca9cdb15f6b8d89fcdc6585802e482730285", key);
    }

    public static TheoryData<string> Changes => new(
        "defaultAction", "defaultErrnoRet", "defaultErrnoRet null", "architectures", "architectures null",
        "flags empty", "flags", "listenerPath", "listenerMetadata", "names", "names order", "action",
        "errnoRet", "args index", "args value", "args valueTwo", "args op", "args null", "syscalls order",
        "library", "architecture", "name split");

    [Theory]
    [MemberData(nameof(Changes))]
    public void Compute_AnyFieldChanged_GivesAnotherKey(string change)
    {
        var spec = Spec();
        var rules = spec.Syscalls!;
        var clone = rules[1];
        var arg = clone.Args![0];
        var (library, architecture) = (Library, "x86_64");
        spec = change switch
        {
            "defaultAction" => spec with { DefaultAction = "SCMP_ACT_KILL" },
            "defaultErrnoRet" => spec with { DefaultErrnoRet = 2 },
            "defaultErrnoRet null" => spec with { DefaultErrnoRet = null },
            "architectures" => spec with { Architectures = ["SCMP_ARCH_X86_64"] },
            "architectures null" => spec with { Architectures = null },
            "flags empty" => spec with { Flags = [] },
            "flags" => spec with { Flags = ["SECCOMP_FILTER_FLAG_LOG"] },
            "listenerPath" => spec with { ListenerPath = "/x" },
            "listenerMetadata" => spec with { ListenerMetadata = "m" },
            "names" => spec with { Syscalls = [rules[0] with { Names = ["read", "writev"] }, clone] },
            "names order" => spec with { Syscalls = [rules[0] with { Names = ["write", "read"] }, clone] },
            "action" => spec with { Syscalls = [rules[0] with { Action = "SCMP_ACT_LOG" }, clone] },
            "errnoRet" => spec with { Syscalls = [rules[0] with { ErrnoRet = 1 }, clone] },
            "args index" => spec with { Syscalls = [rules[0], clone with { Args = [arg with { Index = 1 }] }] },
            "args value" => spec with { Syscalls = [rules[0], clone with { Args = [arg with { Value = 1 }] }] },
            "args valueTwo" => spec with { Syscalls = [rules[0], clone with { Args = [arg with { ValueTwo = 1 }] }] },
            "args op" => spec with { Syscalls = [rules[0], clone with { Args = [arg with { Op = "SCMP_CMP_EQ" }] }] },
            "args null" => spec with { Syscalls = [rules[0], clone with { Args = null }] },
            "syscalls order" => spec with { Syscalls = [clone, rules[0]] },
            "name split" => spec with { Syscalls = [rules[0] with { Names = ["readwrite"] }, clone] },
            _ => spec,
        };
        library = change == "library" ? "libseccomp.so.2.6.0 140000 1750000000.0 43" : library;
        architecture = change == "architecture" ? "aarch64" : architecture;

        Assert.NotEqual(SeccompCacheKey.Compute(Spec(), Library, "x86_64"), SeccompCacheKey.Compute(spec, library, architecture));
    }
}
