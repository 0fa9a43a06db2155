namespace Anchor.Engine.Run;

/// <summary>The options of <c>anchor exec</c>.</summary>
public sealed record ExecOptions
{
    public required string Container { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    public bool Interactive { get; init; }

    public bool Tty { get; init; }

    public bool Detach { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }
}
