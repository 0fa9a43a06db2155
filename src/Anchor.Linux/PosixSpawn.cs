using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// One posix_spawn(3) with its attribute and file-action objects made and freed around it, for the
/// small launchers that differ only in what they put into those objects (<see cref="DetachedProcess"/>,
/// <see cref="HookProcess"/>).
/// </summary>
public static unsafe class PosixSpawn
{
    /// <summary>Adds the caller's attributes (flags) and file actions (dup2, open, closefrom).</summary>
    public delegate void Configure(long* attr, long* actions);

    /// <param name="what">The program's name, for the error message.</param>
    /// <returns>The child's pid.</returns>
    public static int Start(string what, byte* path, byte** argv, byte** envp, Configure configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var attr = stackalloc long[LibC.SpawnObjectSize / sizeof(long)];
        var actions = stackalloc long[LibC.SpawnObjectSize / sizeof(long)];
        Sys.CheckResult(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
        Sys.CheckResult(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try
        {
            configure(attr, actions);
            int pid;
            Sys.CheckResult(LibC.posix_spawn(&pid, path, actions, attr, argv, envp), "posix_spawn " + what);
            return pid;
        }
        finally
        {
            _ = LibC.posix_spawn_file_actions_destroy(actions); // only frees memory: cannot fail
            _ = LibC.posix_spawnattr_destroy(attr);
        }
    }
}
