using Anchor.Oci;

namespace Anchor.Engine.Images;

/// <summary>One line of <c>anchor images</c>: an image appears once per tag, or once as &lt;none&gt;.</summary>
public sealed record ImageRow(string Repository, string Tag, Digest Id, DateTimeOffset? Created, long Size, string Digest = "<none>");
