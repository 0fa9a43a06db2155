namespace Anchor.Engine.Copy;

/// <summary>docker cp's flags: -a keeps the source's owners, -L follows a symlink given as the source.</summary>
public sealed record CopyOptions(bool Archive, bool FollowLink);
