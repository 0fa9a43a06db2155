namespace Anchor.Engine.Devices;

/// <summary>One --device, as docker's HostConfig.Devices holds it (api/types/container DeviceMapping).</summary>
public sealed record DeviceMapping
{
    public required string PathOnHost { get; init; }

    public required string PathInContainer { get; init; }

    /// <summary>What the container may do with it: a combination of r, w and m (docker's default rwm).</summary>
    public string CgroupPermissions { get; init; } = "rwm";
}
