using Anchor.Engine.Run;

namespace Anchor.Engine.Build;

/// <summary>
/// What `build` passes to every RUN step's container besides the Dockerfile (docker build's
/// --add-host, --shm-size and --ulimit), with run's meanings: checked by the same parsers.
/// </summary>
public sealed record BuildRunSettings
{
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Bytes of the step's /dev/shm; 0 is docker's default (64 MiB).</summary>
    public long ShmSize { get; init; }

    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];
}
