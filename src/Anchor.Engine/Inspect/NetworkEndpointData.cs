namespace Anchor.Engine.Inspect;

/// <summary>One entry of NetworkSettings.Networks (docker's EndpointSettings); addresses empty while stopped.</summary>
public sealed record NetworkEndpointData
{
    public required string Name { get; init; }

    /// <summary>--ip, docker's IPAMConfig.IPv4Address (IPAMConfig is null without it).</summary>
    public string? RequestedIp { get; init; }

    public string NetworkID { get; init; } = "";

    public string EndpointID { get; init; } = "";

    public string Gateway { get; init; } = "";

    public string IPAddress { get; init; } = "";

    public int IPPrefixLen { get; init; }

    public string MacAddress { get; init; } = "";

    public IReadOnlyList<string>? Aliases { get; init; }

    public IReadOnlyList<string>? DNSNames { get; init; }
}
