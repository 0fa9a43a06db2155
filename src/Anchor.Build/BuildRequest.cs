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

    /// <summary><c>--secret id=ID,env=VAR</c>: ID to the secret's value (read from anchor's environment when the build starts); a file secret of the same ID wins.</summary>
    public IReadOnlyDictionary<string, string> SecretValues { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>--build-context NAME=VALUE</c> (BuildKit's named contexts): VALUE is a directory's full path
    /// or <c>docker-image://REF</c>. <c>COPY --from=NAME</c> and <c>RUN --mount=from=NAME</c> read it when
    /// no stage has that name; <c>FROM NAME</c> takes the image.
    /// </summary>
    public IReadOnlyDictionary<string, string> NamedContexts { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--cache-from IMAGE</c>: local images whose history the steps may reuse (the classic builder's cache sources).</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary><c>--pull</c>: every base image is pulled again from its registry before it is used.</summary>
    public bool Pull { get; init; }
}
