namespace Anchor.Engine.Volumes;

/// <summary>A mount of a container as docker inspect lists it (Mounts[]); kept in the container record.</summary>
public sealed record MountPoint(string Type, string? Name, string Source, string Destination, bool ReadWrite, bool Anonymous = false);
