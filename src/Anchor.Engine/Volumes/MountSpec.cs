namespace Anchor.Engine.Volumes;

/// <summary>One requested mount, whatever flag it came from: bind, volume (named or anonymous) or tmpfs.</summary>
/// <param name="NoCopy">An empty volume is not filled from the image (--volumes-from: docker's CopyData false).</param>
public sealed record MountSpec(string Type, string? Source, string Target, bool ReadOnly, IReadOnlyList<string> TmpfsOptions, bool NoCopy = false)
{
    public const string Bind = "bind";
    public const string Volume = "volume";
    public const string Tmpfs = "tmpfs";
}
