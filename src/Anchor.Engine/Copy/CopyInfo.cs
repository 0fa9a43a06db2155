namespace Anchor.Engine.Copy;

/// <summary>What one side of a copy is: its path, whether something is there, and whether it is a directory (pkg/archive CopyInfo).</summary>
public sealed record CopyInfo(string Path, bool Exists, bool IsDir);
