using Anchor.Images;

namespace Anchor.Build;

/// <summary>The image a build produced, and the build args nothing declared.</summary>
public sealed record BuildResult(StoredImage Image, IReadOnlyList<string> UnusedArgs);
