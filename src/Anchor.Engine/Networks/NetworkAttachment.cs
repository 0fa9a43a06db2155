namespace Anchor.Engine.Networks;

/// <summary>
/// A container's configured membership of one network (docker's EndpointSettings as configured):
/// kept in the container record while the container exists; its lease (an <see cref="EndpointRecord"/>)
/// exists only while it runs.
/// </summary>
public sealed record NetworkAttachment
{
    public required string NetworkId { get; init; }

    /// <summary>The name when attached, for inspect if the network is gone.</summary>
    public required string NetworkName { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>--ip / network connect --ip.</summary>
    public string? IpAddress { get; init; }
}
