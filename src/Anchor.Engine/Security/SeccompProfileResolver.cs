using Anchor.Oci.Runtime;

namespace Anchor.Engine.Security;

/// <summary>
/// What docker does to a profile for one container (moby/profiles seccomp_linux.go setupSeccomp):
/// the architectures of the archMap entry for the native one; the rules whose includes all hold
/// (every listed capability in the bounding set, the native architecture listed, the kernel at
/// least minKernel) and none of whose excludes holds (any listed capability in the bounding set,
/// the native architecture listed, the kernel at least minKernel). Pure.
/// </summary>
public static class SeccompProfileResolver
{
    /// <summary>docker's (Go's) name for the architecture Anchor runs on.</summary>
    public const string NativeArch = "amd64";

    /// <summary>GOARCH names to the SCMP_ARCH_* of their archMap entry (moby/profiles nativeToSeccomp).</summary>
    private static readonly Dictionary<string, string> NativeToSeccomp = new(StringComparer.Ordinal)
    {
        ["x86"] = "SCMP_ARCH_X86",
        ["amd64"] = "SCMP_ARCH_X86_64",
        ["arm"] = "SCMP_ARCH_ARM",
        ["arm64"] = "SCMP_ARCH_AARCH64",
        ["loong64"] = "SCMP_ARCH_LOONGARCH64",
        ["mips64"] = "SCMP_ARCH_MIPS64",
        ["mips64n32"] = "SCMP_ARCH_MIPS64N32",
        ["mipsel64"] = "SCMP_ARCH_MIPSEL64",
        ["mips3l64n32"] = "SCMP_ARCH_MIPSEL64N32",
        ["mipsle"] = "SCMP_ARCH_MIPSEL",
        ["ppc"] = "SCMP_ARCH_PPC",
        ["ppc64"] = "SCMP_ARCH_PPC64",
        ["ppc64le"] = "SCMP_ARCH_PPC64LE",
        ["riscv64"] = "SCMP_ARCH_RISCV64",
        ["s390"] = "SCMP_ARCH_S390",
        ["s390x"] = "SCMP_ARCH_S390X",
    };

    /// <summary>
    /// The spec's seccomp object, or null when the profile has neither a default action nor rules
    /// (docker then runs the container without a filter). Throws <see cref="SeccompProfileException"/>.
    /// </summary>
    /// <param name="bounding">The container's bounding set (CAP_… names).</param>
    /// <param name="arch">docker's name of the native architecture.</param>
    /// <param name="kernel">The running kernel, for minKernel.</param>
    public static SpecSeccomp? Resolve(SeccompProfile profile, IReadOnlyList<string> bounding, string arch, KernelVersion kernel)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(bounding);
        var rules = profile.Syscalls ?? [];
        if (profile.DefaultAction.Length == 0 && rules.Count == 0)
        {
            return null;
        }

        if (profile.Architectures is { Count: > 0 } && profile.ArchMap is { Count: > 0 })
        {
            throw new SeccompProfileException("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
        }

        List<string> architectures = [.. profile.Architectures ?? []];
        if (NativeToSeccomp.TryGetValue(arch, out var native)
            && profile.ArchMap?.FirstOrDefault(a => a.Architecture == native) is { } entry)
        {
            architectures.Add(entry.Architecture);
            architectures.AddRange(entry.SubArchitectures ?? []);
        }

        var syscalls = new List<SpecSeccompSyscall>(rules.Count);
        foreach (var rule in rules)
        {
            var names = rule.Names;
            if (!string.IsNullOrEmpty(rule.Name))
            {
                if (names is { Count: > 0 })
                {
                    throw new SeccompProfileException("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
                }

                names = [rule.Name];
            }

            if (Excluded(rule.Excludes, bounding, arch, kernel) || !Included(rule.Includes, bounding, arch, kernel))
            {
                continue;
            }

            syscalls.Add(new SpecSeccompSyscall
            {
                Names = names ?? [],
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } args ? args : null,
            });
        }

        // Go's omitempty: empty lists and strings do not reach the runtime (so empty flags, like
        // absent ones, mean runc's default, SPEC_ALLOW).
        return new SpecSeccomp
        {
            DefaultAction = profile.DefaultAction,
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = architectures.Count > 0 ? architectures : null,
            Flags = profile.Flags is { Count: > 0 } flags ? flags : null,
            ListenerPath = string.IsNullOrEmpty(profile.ListenerPath) ? null : profile.ListenerPath,
            ListenerMetadata = string.IsNullOrEmpty(profile.ListenerMetadata) ? null : profile.ListenerMetadata,
            Syscalls = syscalls.Count > 0 ? syscalls : null,
        };
    }

    private static bool Excluded(SeccompFilter? excludes, IReadOnlyList<string> bounding, string arch, KernelVersion kernel) =>
        excludes is not null
        && ((excludes.Arches?.Contains(arch) ?? false)
            || (excludes.Caps?.Any(bounding.Contains) ?? false)
            || (excludes.MinKernel is { } min && kernel >= min));

    private static bool Included(SeccompFilter? includes, IReadOnlyList<string> bounding, string arch, KernelVersion kernel) =>
        includes is null
        || ((includes.Arches is not { Count: > 0 } arches || arches.Contains(arch))
            && (includes.Caps?.All(bounding.Contains) ?? true)
            && (includes.MinKernel is not { } min || kernel >= min));
}
