namespace Anchor.Engine.OciRuntime;

/// <summary>What runc exec was asked for: the process (from --process, or config.json's with the command and flags applied) and where it goes.</summary>
public sealed record OciExecRequest(string Id, string? ProcessFile, IReadOnlyList<string> Command, bool Detach, bool Tty, string? Cwd, IReadOnlyList<string> Env, string? User, string? PidFile, string? ConsoleSocket);
