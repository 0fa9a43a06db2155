using Anchor.Images;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>The image of a container-to-be, with its layer directories and the resolved user.</summary>
public sealed record ResolvedImage(StoredImage Image, IReadOnlyList<string> LayersTopFirst, SpecUser User, string Home);
