namespace Anchor.Engine.Inspect;

/// <summary>Config: the container's configuration (image config merged with the run options).</summary>
public sealed record ContainerConfigData
{
    public string Hostname { get; init; } = "";

    public string Domainname { get; init; } = "";

    public string User { get; init; } = "";

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    public bool StdinOnce { get; init; }

    /// <summary>The image's EXPOSE ports plus --expose and -p's container ports (80/tcp).</summary>
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>The image as the user named it ("busybox").</summary>
    public string Image { get; init; } = "";

    public IReadOnlyList<string>? Volumes { get; init; }

    public string WorkingDir { get; init; } = "";

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Omitted when empty, as docker does.</summary>
    public string? StopSignal { get; init; }

    /// <summary>--mac-address as given; omitted when empty (docker 20.10's Config.MacAddress, omitempty).</summary>
    public string? MacAddress { get; init; }

    /// <summary>Config.Healthcheck: omitted when none (docker's omitempty).</summary>
    public Oci.Image.HealthConfig? Healthcheck { get; init; }

    /// <summary>--stop-timeout; omitted when not given, as docker does.</summary>
    public int? StopTimeout { get; init; }
}
