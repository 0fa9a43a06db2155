using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Starts a program with an argv[0] of the caller's choosing, an explicit environment and a given
/// stdin (posix_spawn(3)): runtime-spec hooks (config.md "POSIX-platform Hooks") are exec'd with
/// their own args, args[0] included (dockerd's libnetwork-setkey hook is dispatched on it), and
/// read the container's state on stdin. stdout and stderr are the caller's; every other descriptor
/// is closed.
/// </summary>
public static unsafe class HookProcess
{
    /// <returns>The child's pid (the caller waits for it).</returns>
    public static int Start(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, int stdin)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(env);
        using var strings = new NativeStrings();
        var argv = args.Count > 0 ? strings.Array(args) : strings.Array([], first: path);
        return PosixSpawn.Start(path, strings.Add(path), argv, strings.Array(env), (_, actions) =>
        {
            Sys.CheckResult(LibC.posix_spawn_file_actions_adddup2(actions, stdin, 0), "posix_spawn_file_actions_adddup2");
            Sys.CheckResult(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
        });
    }
}
