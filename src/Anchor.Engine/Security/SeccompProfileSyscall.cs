using System.Text.Json.Serialization;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Security;

/// <summary>
/// A rule of docker's profile format (moby/profiles seccomp.Syscall): the spec's rule, the legacy
/// single "name", a comment, and the conditions under which the rule is part of a container's filter.
/// </summary>
public sealed record SeccompProfileSyscall
{
    [JsonPropertyName("names")]
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>Older profiles' single name; a rule has this or <see cref="Names"/>, not both.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; init; }

    [JsonPropertyName("args")]
    public IReadOnlyList<SpecSeccompArg>? Args { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    /// <summary>The rule applies only when all of these hold.</summary>
    [JsonPropertyName("includes")]
    public SeccompFilter? Includes { get; init; }

    /// <summary>The rule is left out when any of these holds.</summary>
    [JsonPropertyName("excludes")]
    public SeccompFilter? Excludes { get; init; }
}
