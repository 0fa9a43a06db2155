using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>
/// The container's seccomp filter (runtime spec, config-linux.md "Seccomp"). Optional members are
/// left out of config.json when null, as runtime-spec's Go types (omitempty) leave them out.
/// </summary>
public sealed record SpecSeccomp
{
    /// <summary>SCMP_ACT_* for every system call no rule matches.</summary>
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; init; } = "";

    /// <summary>The errno of an SCMP_ACT_ERRNO (or SCMP_ACT_TRACE) default action; EPERM when null.</summary>
    [JsonPropertyName("defaultErrnoRet")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? DefaultErrnoRet { get; init; }

    /// <summary>SCMP_ARCH_* the filter also accepts besides the native one.</summary>
    [JsonPropertyName("architectures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>
    /// SECCOMP_FILTER_FLAG_* for seccomp(2). Null is not the empty list: runc then applies
    /// SECCOMP_FILTER_FLAG_SPEC_ALLOW (libcontainer/specconv SetupSeccomp), an empty list applies none.
    /// </summary>
    [JsonPropertyName("flags")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Flags { get; init; }

    /// <summary>The seccomp agent's socket for SCMP_ACT_NOTIFY (not supported by Anchor).</summary>
    [JsonPropertyName("listenerPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ListenerPath { get; init; }

    [JsonPropertyName("listenerMetadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ListenerMetadata { get; init; }

    [JsonPropertyName("syscalls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SpecSeccompSyscall>? Syscalls { get; init; }
}
