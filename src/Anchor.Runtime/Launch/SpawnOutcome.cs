namespace Anchor.Runtime.Launch;

/// <summary>
/// How a gated spawn ended: the process's pid (0 when none is left to wait for) and, for a process
/// that exec'd, the launcher's ends of its stdio; or the exit code and docker's message of a failure.
/// </summary>
internal sealed record SpawnOutcome(int Pid, int ExitCode, string? Error, int PtyMaster = -1, ContainerPipes? Pipes = null);
