namespace Anchor.Engine.Containers;

/// <summary>What Anchor remembers about one container, stored as containers/ID/container.json.</summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The image as the user named it (busybox), for ps.</summary>
    public required string Image { get; init; }

    /// <summary>The image ID (config digest) the container was created from.</summary>
    public required string ImageId { get; init; }

    public required DateTimeOffset Created { get; init; }

    public ContainerStatus Status { get; init; } = ContainerStatus.Created;

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public bool OomKilled { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];

    public bool AutoRemove { get; init; }

    /// <summary>The run/create options, for inspect (Config, HostConfig) and for start.</summary>
    public Run.RunOptions? Options { get; init; }

    /// <summary>The monitor process of a detached container (conmon's role), 0 when none.</summary>
    public int MonitorPid { get; init; }

    /// <summary>
    /// The process that runs a container in its foreground (`anchor run` without -d, a build's RUN
    /// step), 0 for none; with <see cref="OwnerStartTime"/> it names that process even after its pid
    /// is reused. A container whose owner is gone is abandoned (<see cref="ProcessLiveness.IsAbandoned"/>).
    /// </summary>
    public int OwnerPid { get; init; }

    /// <summary>The owner's start time (/proc/PID/stat starttime, clock ticks after boot).</summary>
    public long OwnerStartTime { get; init; }

    public int RestartCount { get; init; }

    /// <summary>Set by stop/kill: the restart policy must not bring the container back (docker's rule).</summary>
    public bool StoppedByUser { get; init; }

    /// <summary>Volumes, binds and tmpfs mounts as resolved at create time.</summary>
    public IReadOnlyList<Volumes.MountPoint> Mounts { get; init; } = [];

    /// <summary>The networks the container joins when it starts (--network, network connect).</summary>
    public IReadOnlyList<Networks.NetworkAttachment> Networks { get; init; } = [];

    /// <summary>docker's Config.ExposedPorts: the image's EXPOSE, --expose and -p's container ports (80/tcp).</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    /// <summary>Ports to publish at start: -p, and with -P every exposed port (HostPort 0: random).</summary>
    public IReadOnlyList<Networks.PortBinding> PortRequests { get; init; } = [];

    /// <summary>Why the last start failed, docker's State.Error.</summary>
    public string? Error { get; init; }

    /// <summary>docker's Config.Healthcheck: --health-* merged with the image's HEALTHCHECK (null: none).</summary>
    public Oci.Image.HealthConfig? Healthcheck { get; init; }

    /// <summary>The image's SHELL, which a CMD-SHELL health check runs under (null: /bin/sh -c).</summary>
    public IReadOnlyList<string>? Shell { get; init; }

    /// <summary>docker's State.Health while a health check is configured and the container has run (Health/HealthMonitor).</summary>
    public Health.ContainerHealth? Health { get; init; }
}
