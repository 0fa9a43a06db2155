namespace Anchor.Engine.Health;

/// <summary>One probe's result, docker's HealthcheckResult: when it ran, its exit code (-1: it could not finish) and its first 4 KiB of output.</summary>
public sealed record HealthLogEntry
{
    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required int ExitCode { get; init; }

    public string Output { get; init; } = "";
}
