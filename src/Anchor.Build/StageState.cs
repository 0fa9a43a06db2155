using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Build;

/// <summary>
/// A stage as it is being built: the current image config (the next step's parent), its ID, the
/// manifest's layer descriptors, and what the Dockerfile declared in the stage so far (ARGs in
/// scope, whether CMD was set), which is not part of the image.
/// </summary>
internal sealed class StageState
{
    public required ImageConfig Image { get; set; }

    /// <summary>The parent image ID for the cache key: sha256:… or "scratch".</summary>
    public required string ParentId { get; set; }

    public required List<Descriptor> Layers { get; init; }

    public string? Name { get; init; }

    public int Steps { get; set; }

    public Dictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);

    public List<string> ArgOrder { get; } = [];

    public bool CmdSet { get; set; }

    public ContainerConfig Config => Image.Config ?? new ContainerConfig();

    public IReadOnlyList<Digest> ChainIds => ChainId.Compute(Image.RootFs.DiffIds);

    /// <summary>A variable for expansion: ENV wins over ARG (Dockerfile reference, "Using ARG variables").</summary>
    public string? Lookup(string name)
    {
        foreach (var entry in (Config.Env ?? []).Reverse())
        {
            if (entry.Length > name.Length && entry[name.Length] == '=' && entry.StartsWith(name, StringComparison.Ordinal))
            {
                return entry[(name.Length + 1)..];
            }
        }

        return Args.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>The ARGs in scope as KEY=VALUE, for RUN's environment and cache key.</summary>
    public List<string> ArgEnvironment() =>
        [.. ArgOrder.Where(a => Args[a] is not null).Select(a => $"{a}={Args[a]}")];
}
