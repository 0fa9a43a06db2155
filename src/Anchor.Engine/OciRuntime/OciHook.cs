namespace Anchor.Engine.OciRuntime;

/// <summary>One hook of config.json (config.md "POSIX-platform Hooks"): path, args (args[0] included), env, timeout in seconds.</summary>
public sealed record OciHook(string Path, IReadOnlyList<string> Args, IReadOnlyList<string> Env, int? Timeout);
