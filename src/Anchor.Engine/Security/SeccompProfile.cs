using System.Text.Json.Serialization;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Security;

/// <summary>
/// A seccomp profile in docker's format (moby/profiles seccomp.Seccomp): the runtime spec's seccomp
/// object plus an architecture map and rules that apply only to some capabilities, architectures
/// and kernels. <see cref="SeccompProfileResolver"/> turns it into the spec's object for one container.
/// </summary>
public sealed record SeccompProfile
{
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; init; } = "";

    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; init; }

    /// <summary>SCMP_ARCH_* as in the spec; a profile has this or <see cref="ArchMap"/>, not both.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>Per native architecture, the architectures the filter accepts (x86_64: also x86 and x32).</summary>
    [JsonPropertyName("archMap")]
    public IReadOnlyList<SeccompArchitecture>? ArchMap { get; init; }

    [JsonPropertyName("flags")]
    public IReadOnlyList<string>? Flags { get; init; }

    [JsonPropertyName("listenerPath")]
    public string? ListenerPath { get; init; }

    [JsonPropertyName("listenerMetadata")]
    public string? ListenerMetadata { get; init; }

    [JsonPropertyName("syscalls")]
    public IReadOnlyList<SeccompProfileSyscall>? Syscalls { get; init; }
}
