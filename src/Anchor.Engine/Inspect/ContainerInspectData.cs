namespace Anchor.Engine.Inspect;

/// <summary>What <c>anchor inspect</c> knows of a container, in docker's terms (Engine API ContainerJSON).</summary>
public sealed record ContainerInspectData
{
    public required string Id { get; init; }

    public DateTimeOffset? Created { get; init; }

    public string Path { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public ContainerStateData State { get; init; } = new();

    /// <summary>The image ID, "sha256:…".</summary>
    public string Image { get; init; } = "";

    public string ResolvConfPath { get; init; } = "";

    public string HostnamePath { get; init; } = "";

    public string HostsPath { get; init; } = "";

    public string LogPath { get; init; } = "";

    /// <summary>The name with docker's leading slash, "/web".</summary>
    public string Name { get; init; } = "";

    public int RestartCount { get; init; }

    public string Driver { get; init; } = "overlay2";

    public string Platform { get; init; } = "linux";

    public string MountLabel { get; init; } = "";

    public string ProcessLabel { get; init; } = "";

    public string AppArmorProfile { get; init; } = "";

    public IReadOnlyList<string>? ExecIDs { get; init; }

    public HostConfigData HostConfig { get; init; } = new();

    public GraphDriverData GraphDriver { get; init; } = new();

    public IReadOnlyList<MountPointData> Mounts { get; init; } = [];

    public ContainerConfigData Config { get; init; } = new();

    public NetworkSettingsData NetworkSettings { get; init; } = new();

    /// <summary>inspect --size: what the container wrote and its whole filesystem; null without --size (omitted).</summary>
    public Usage.ContainerSize? Size { get; init; }
}
