namespace Anchor.Build.Context;

/// <summary>
/// One entry of a source tree (the build context, or the union of an image's layers):
/// <paramref name="RelativePath"/> is a slash path without a leading slash ("" for the root),
/// <paramref name="HostPath"/> where its bytes are, <paramref name="Mode"/> the permission bits with
/// setuid/setgid/sticky (07777).
/// </summary>
public sealed record TreeEntry(
    string RelativePath,
    string HostPath,
    EntryKind Kind,
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    DateTimeOffset ModifiedTime,
    string? LinkTarget,
    uint DeviceMajor,
    uint DeviceMinor)
{
    /// <summary>An overlayfs whiteout: a 0/0 character device.</summary>
    public bool IsWhiteout => Kind == EntryKind.CharDevice && DeviceMajor == 0 && DeviceMinor == 0;

    public string Name => RelativePath.Length == 0 ? "" : RelativePath[(RelativePath.LastIndexOf('/') + 1)..];
}
