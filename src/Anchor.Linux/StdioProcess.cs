using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Starts a program on the calling thread (posix_spawn(3) clones the caller: the child has this
/// thread's mount namespace, which an external OCI runtime's <c>create</c> needs) with the three
/// descriptors given as its stdin, stdout and stderr and no other one. The caller waits for it.
/// </summary>
public static unsafe class StdioProcess
{
    /// <returns>The child's pid.</returns>
    public static int Start(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, int stdin, int stdout, int stderr)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(env);
        using var strings = new NativeStrings();
        var argv = strings.Array(args, first: path);
        return PosixSpawn.Start(path, argv[0], argv, strings.Array(env), (_, actions) =>
        {
            // dup2 clears close-on-exec on the copy (dup2(2)); the same descriptor twice is dup'd twice.
            Sys.CheckResult(LibC.posix_spawn_file_actions_adddup2(actions, stdin, 0), "posix_spawn_file_actions_adddup2");
            Sys.CheckResult(LibC.posix_spawn_file_actions_adddup2(actions, stdout, 1), "posix_spawn_file_actions_adddup2");
            Sys.CheckResult(LibC.posix_spawn_file_actions_adddup2(actions, stderr, 2), "posix_spawn_file_actions_adddup2");
            Sys.CheckResult(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
        });
    }
}
