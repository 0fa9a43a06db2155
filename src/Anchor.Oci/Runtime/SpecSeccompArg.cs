using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>
/// A condition on one system call argument (config-linux.md "Seccomp", libseccomp's
/// struct scmp_arg_cmp): for SCMP_CMP_MASKED_EQ, Value is the mask and ValueTwo the datum.
/// </summary>
public sealed record SpecSeccompArg
{
    [JsonPropertyName("index")]
    public uint Index { get; init; }

    [JsonPropertyName("value")]
    public ulong Value { get; init; }

    [JsonPropertyName("valueTwo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ValueTwo { get; init; }

    /// <summary>SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT or _MASKED_EQ.</summary>
    [JsonPropertyName("op")]
    public string Op { get; init; } = "";
}
