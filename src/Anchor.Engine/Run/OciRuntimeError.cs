namespace Anchor.Engine.Run;

/// <summary>
/// docker's wording for a process that could not be started inside a container: runc's error as
/// containerd and the daemon pass it on (moby daemon/start.go and daemon/exec.go with runc 1.1),
/// so that scripts matching docker's text match Anchor's.
/// </summary>
public static class OciRuntimeError
{
    /// <summary>
    /// run/start: the daemon's "failed to create shim task: OCI runtime create failed: runc create
    /// failed: unable to start container process: ERROR: unknown", with the exit code docker's CLI
    /// picks (127 not found, 126 permission denied, 125 otherwise).
    /// </summary>
    public static EngineException Create(string error, int exitCode) =>
        new(CreateText(error), exitCode) { Kind = EngineErrorKind.Internal, FromDaemon = true, StartFailure = true };

    public static string CreateText(string error) =>
        $"failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {error}: unknown";

    public const string ExecPrefix = "OCI runtime exec failed: ";

    /// <summary>exec: "OCI runtime exec failed: exec failed: unable to start container process: ERROR: unknown", always 126.</summary>
    public static EngineException Exec(string error) =>
        new($"{ExecPrefix}exec failed: unable to start container process: {error}: unknown", ExitCodes.CannotInvoke);
}
