namespace Anchor.Images.Check;

/// <summary>
/// One inconsistency <see cref="ImageStoreCheck"/> found: <paramref name="Text"/> says what is wrong
/// (docker's style: "image busybox:latest (sha256:…): layer sha256:… missing"); after a repair,
/// <paramref name="Repaired"/> and <paramref name="Note"/> say what was done or why nothing could be.
/// </summary>
public sealed record StoreProblem(string Text, bool Repaired = false, string? Note = null);
