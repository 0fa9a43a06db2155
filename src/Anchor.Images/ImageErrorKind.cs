namespace Anchor.Images;

/// <summary>What kind of user-facing failure an <see cref="ImageException"/> is, so the CLI can pick an exit code.</summary>
public enum ImageErrorKind
{
    /// <summary>Bad input: a malformed archive or layer, a digest mismatch.</summary>
    Invalid,

    /// <summary>The named image or blob does not exist.</summary>
    NotFound,

    /// <summary>The operation conflicts with the state (docker's "conflict: ..." errors).</summary>
    Conflict,
}
