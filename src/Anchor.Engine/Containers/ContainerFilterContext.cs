namespace Anchor.Engine.Containers;

/// <summary>What ps filters look up beyond the record: other containers (before, since), labels and images (ancestor).</summary>
/// <param name="Find">A container by name or ID (docker's "No such container" when absent).</param>
/// <param name="Labels">A container's labels.</param>
/// <param name="Ancestor">For an image name or ID, which containers run it or an image built on it.</param>
public sealed record ContainerFilterContext(
    Func<string, ContainerRecord> Find,
    Func<ContainerRecord, IReadOnlyDictionary<string, string>?> Labels,
    Func<string, Func<ContainerRecord, bool>> Ancestor)
{
    public static ContainerFilterContext None { get; } = new(
        name => throw new EngineException($"No such container: {name}", 1),
        _ => null,
        _ => _ => false);
}
