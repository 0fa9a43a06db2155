using Anchor.Oci.Reference;

namespace Anchor.Images.Archives;

/// <summary>An image loaded from an archive with the tags it brought: the CLI prints
/// "Loaded image: busybox:latest" per tag, or "Loaded image ID: sha256:…" when there is none.</summary>
public sealed record LoadedImage(StoredImage Image, IReadOnlyList<ImageReference> Tags)
{
    public IEnumerable<string> Lines =>
        Tags.Count == 0 ? [$"Loaded image ID: {Image.Id}"] : Tags.Select(t => $"Loaded image: {t.FamiliarName}");
}
