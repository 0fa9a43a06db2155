using Anchor.Engine.Networks;

namespace Anchor.Engine.Inspect;

/// <summary>NetworkSettings: the sandbox, the published ports and one entry per network.</summary>
public sealed record NetworkSettingsData
{
    public string SandboxID { get; init; } = "";

    public string SandboxKey { get; init; } = "";

    public IReadOnlyList<NetworkEndpointData> Networks { get; init; } = [];

    /// <summary>Exposed or published container ports (80/tcp) and their host bindings (empty: exposed only, docker's null).</summary>
    public IReadOnlyList<(string Port, IReadOnlyList<PortBinding> Bindings)> Ports { get; init; } = [];

    /// <summary>docker fills the top-level address fields from the default bridge network only.</summary>
    public NetworkEndpointData? DefaultBridge => Networks.FirstOrDefault(n => n.Name == PredefinedNetworks.Bridge);
}
