using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Starts a process that outlives its starter and owes it nothing: a session of its own (no
/// terminal signals), /dev/null for stdio (a caller reading our stdout to its end is not kept
/// waiting), no other descriptors, an empty environment. posix_spawn(3) rather than Process.Start:
/// no exec-error pipe, no SIGCHLD bookkeeping for a child nobody waits for (init reaps it).
/// </summary>
public static unsafe class DetachedProcess
{
    /// <param name="inherit">A descriptor the child gets as its descriptor 3 (-1: none).</param>
    /// <returns>The child's pid.</returns>
    public static int Start(string path, IReadOnlyList<string> args, int inherit = -1)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(args);
        using var strings = new NativeStrings();
        var argv = strings.Array(args, first: path);
        var envp = stackalloc byte*[1];
        envp[0] = null;
        return PosixSpawn.Start(path, argv[0], argv, envp, (attr, actions) =>
        {
            Sys.CheckResult(LibC.posix_spawnattr_setflags(attr, LibC.POSIX_SPAWN_SETSID), "posix_spawnattr_setflags");
            for (var fd = 0; fd < 3; fd++)
            {
                Sys.CheckResult(LibC.posix_spawn_file_actions_addopen(actions, fd, "/dev/null", fd == 0 ? LibC.O_RDONLY : LibC.O_WRONLY, 0), "posix_spawn_file_actions_addopen");
            }

            if (inherit >= 0)
            {
                // dup2 clears close-on-exec on the copy (dup2(2)).
                Sys.CheckResult(LibC.posix_spawn_file_actions_adddup2(actions, inherit, 3), "posix_spawn_file_actions_adddup2");
            }

            Sys.CheckResult(LibC.posix_spawn_file_actions_addclosefrom_np(actions, inherit >= 0 ? 4 : 3), "posix_spawn_file_actions_addclosefrom_np");
        });
    }
}
