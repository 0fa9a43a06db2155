using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>One seccomp rule: an action for the named system calls when every argument condition holds (config-linux.md "Seccomp").</summary>
public sealed record SpecSeccompSyscall
{
    [JsonPropertyName("names")]
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>SCMP_ACT_*.</summary>
    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    /// <summary>The errno of SCMP_ACT_ERRNO (or SCMP_ACT_TRACE's value); EPERM when null.</summary>
    [JsonPropertyName("errnoRet")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? ErrnoRet { get; init; }

    [JsonPropertyName("args")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SpecSeccompArg>? Args { get; init; }
}
