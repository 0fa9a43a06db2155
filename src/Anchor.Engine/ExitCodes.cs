namespace Anchor.Engine;

/// <summary>docker run's exit codes for failures of its own (docker run reference, "Exit status").</summary>
public static class ExitCodes
{
    public const int EngineError = 125;
    public const int CannotInvoke = 126;
    public const int NotFound = 127;
}
