namespace Anchor.Engine.Run;

/// <summary>One --ulimit as docker stores it (HostConfig.Ulimits: Name, Hard, Soft; -1 = unlimited).</summary>
public sealed record Ulimit(string Name, long Soft, long Hard);
