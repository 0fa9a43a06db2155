namespace Anchor.Engine.Attach;

/// <summary>How an attach session ended: detached by the key sequence, or the container's exit code (null when the monitor did not say).</summary>
public readonly record struct AttachOutcome(bool Detached, int? ExitCode);
