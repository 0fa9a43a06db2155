using System.Runtime.InteropServices;
using Anchor.Oci;

namespace Anchor.Engine.Images;

/// <summary>
/// <c>run/create --platform</c> as containerd's platforms.Parse reads it (docker/cli passes the
/// value through it): <c>os</c>, <c>arch</c>, <c>os/arch</c> or <c>os/arch/variant</c>, each part
/// of [A-Za-z0-9_-]; a single part must be a known OS (then the host's architecture) or a known
/// architecture (then linux). Architectures are normalised to Go's names (x86_64 is amd64).
/// </summary>
public static class PlatformArgument
{
    private static readonly string[] KnownOs = ["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos"];

    private static readonly string[] KnownArch = ["386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"];

    /// <summary>The platform <paramref name="value"/> names; docker's wording (125) when it names none.</summary>
    public static Platform Parse(string value)
    {
        var parts = value.Split('/');
        foreach (var part in parts)
        {
            if (part.Length == 0 || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Invalid($"\"{part}\" is an invalid component of \"{value}\": platform specifier component must match \"^[A-Za-z0-9_-]+$\"");
            }
        }

        switch (parts.Length)
        {
            case 1:
                var single = parts[0].ToLowerInvariant();
                if (KnownOs.Contains(single))
                {
                    return new Platform { Os = single, Architecture = HostArchitecture() };
                }

                var (arch, variant) = NormalizeArch(single, null);
                return KnownArch.Contains(arch)
                    ? new Platform { Os = "linux", Architecture = arch, Variant = variant }
                    : throw Invalid($"\"{value}\": unknown operating system or architecture");
            case 2:
            case 3:
                var (architecture, v) = NormalizeArch(parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
                return new Platform { Os = parts[0].ToLowerInvariant(), Architecture = architecture, Variant = v };
            default:
                throw Invalid($"\"{value}\": cannot parse platform specifier");
        }
    }

    /// <summary>os/arch[/variant], as docker prints a platform.</summary>
    public static string Format(Platform platform) =>
        platform.Variant is null ? $"{platform.Os}/{platform.Architecture}" : $"{platform.Os}/{platform.Architecture}/{platform.Variant}";

    /// <summary>Whether an image of <paramref name="os"/>/<paramref name="architecture"/> is what <paramref name="wanted"/> asks for.</summary>
    public static bool Matches(Platform wanted, string os, string architecture) =>
        string.Equals(wanted.Os, os, StringComparison.OrdinalIgnoreCase) && wanted.Architecture == NormalizeArch(architecture.ToLowerInvariant(), null).Arch;

    private static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    };

    // containerd platforms.normalizeArch.
    private static (string Arch, string? Variant) NormalizeArch(string arch, string? variant) => arch switch
    {
        "i386" => ("386", null),
        "x86_64" or "x86-64" or "amd64" => ("amd64", variant is "v1" ? null : variant),
        "aarch64" or "arm64" => ("arm64", variant is "8" or "v8" ? null : variant),
        "armhf" => ("arm", "v7"),
        "armel" => ("arm", "v6"),
        "arm" => ("arm", variant switch { null or "7" => "v7", "5" or "6" or "8" => "v" + variant, _ => variant }),
        _ => (arch, variant),
    };

    private static EngineException Invalid(string message) => new($"error parsing specified platform: {message}: invalid argument");
}
