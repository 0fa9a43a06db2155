namespace Anchor.Engine.Inspect;

/// <summary>NetworkSettings, minimal: the sandbox key and one entry per network ("none", "host").</summary>
public sealed record NetworkSettingsData
{
    public string SandboxID { get; init; } = "";

    public string SandboxKey { get; init; } = "";

    public IReadOnlyList<string> Networks { get; init; } = [];
}
