using Anchor.Oci.Reference;

namespace Anchor.Build;

/// <summary>
/// What <c>anchor build</c> was asked: the context directory, the Dockerfile (its host path and the
/// name errors use), tags, <c>--build-arg</c> values (null: take it from the environment), target
/// stage, <c>--no-cache</c>, and where the step log goes (null with <c>-q</c>).
/// </summary>
public sealed record BuildRequest
{
    public required string ContextDirectory { get; init; }

    public required string DockerfilePath { get; init; }

    public string DockerfileName { get; init; } = "Dockerfile";

    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    public string? Target { get; init; }

    public bool NoCache { get; init; }

    public TextWriter? Log { get; init; }

    /// <summary>
    /// Where RUN steps' stdout and stderr go, copied by the host (a server's response); null: the
    /// step inherits this process's own descriptors (the CLI, no copy). Unused with a null
    /// <see cref="Log"/> (-q), where the output goes nowhere.
    /// </summary>
    public Stream? RunOutput { get; init; }

    /// <summary><c>--network none</c>: RUN steps get a network namespace of their own with only loopback (else the host's).</summary>
    public bool RunWithoutNetwork { get; init; }

    /// <summary><c>--secret id=ID,src=FILE</c>: what <c>RUN --mount=type=secret,id=ID</c> mounts; never in a layer, the history or a cache key.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>SOURCE_DATE_EPOCH of the build's environment (a <c>--build-arg</c> of that name wins): the latest time written in layers, config and history.</summary>
    public string? SourceDateEpoch { get; init; }

    /// <summary><c>--label K=V</c>: added to the built image as LABEL steps at the end of its stage.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
