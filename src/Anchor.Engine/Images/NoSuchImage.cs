using Anchor.Oci.Reference;

namespace Anchor.Engine.Images;

/// <summary>
/// The daemon's "No such image: X" of an image lookup (moby daemon/images ErrImageDoesNotExist):
/// a name is printed in its familiar form with its tag, ":latest" when none was given
/// (reference.TagNameOnly), anything that does not parse as a name as it was given.
/// </summary>
public static class NoSuchImage
{
    public static EngineException Daemon(string nameOrId) =>
        EngineException.Daemon(
            EngineErrorKind.NotFound,
            $"No such image: {(ImageReference.TryParse(nameOrId, out var named, out _) ? named.FamiliarName : nameOrId)}",
            1);
}
