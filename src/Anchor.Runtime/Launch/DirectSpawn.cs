using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Launch;

/// <summary>
/// posix_spawn(3) of the container's command from the thread that set the container up: the child
/// is a copy of that thread (its namespaces, root, working directory, credentials and capability
/// sets) made with clone(CLONE_VM|CLONE_VFORK), and runs only glibc's file actions before execve, no
/// managed code (linux-from-dotnet.md: a fork that runs .NET code can hang on the GC). The actions
/// close every descriptor above 2, wait at the <see cref="SpawnGate"/>, go back to the working
/// directory and give stdin /dev/null unless it stays open. The child starts a session of its
/// own, with default signal dispositions and an empty signal mask.
/// </summary>
internal static unsafe class DirectSpawn
{
    /// <summary>The descriptor number the gate's FIFOs use in the child; closed again before execve.</summary>
    private const int Scratch = 3;

    /// <returns>The child's pid, or the error number of the file action or execve that failed.</returns>
    public static (int Pid, int Errno) Start(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, string cwd, int gateDirectoryFd, bool keepStdin)
    {
        using var strings = new Linux.NativeStrings();
        var attr = stackalloc long[LibC.SpawnObjectSize / sizeof(long)];
        var actions = stackalloc long[LibC.SpawnObjectSize / sizeof(long)];
        var all = stackalloc long[LibC.SigsetSize / sizeof(long)];
        var none = stackalloc long[LibC.SigsetSize / sizeof(long)];
        Check(LibC.posix_spawnattr_init(attr));
        Check(LibC.posix_spawn_file_actions_init(actions));
        try
        {
            Check(LibC.sigfillset(all));
            Check(LibC.sigemptyset(none));
            Check(LibC.posix_spawnattr_setsigdefault(attr, all));
            Check(LibC.posix_spawnattr_setsigmask(attr, none));
            Check(LibC.posix_spawnattr_setflags(attr, (short)(LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK)));

            Check(LibC.posix_spawn_file_actions_addfchdir_np(actions, gateDirectoryFd));
            // Before the wait, not after: the child is a copy of every descriptor open in this
            // process at the clone (close-on-exec ones too, until it execs), and one that holds a
            // copy of a lock file's descriptor keeps the flock held while it waits at the gate;
            // the launcher's next lock of that file would then wait for the gate it has to open.
            Check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, Scratch));
            Check(LibC.posix_spawn_file_actions_addopen(actions, Scratch, SpawnGate.ReadyName, LibC.O_WRONLY, 0));
            Check(LibC.posix_spawn_file_actions_addclose(actions, Scratch));
            Check(LibC.posix_spawn_file_actions_addopen(actions, Scratch, SpawnGate.GoName, LibC.O_WRONLY, 0));
            Check(LibC.posix_spawn_file_actions_addclose(actions, Scratch));
            Check(LibC.posix_spawn_file_actions_addchdir_np(actions, cwd));
            if (!keepStdin)
            {
                Check(LibC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", LibC.O_RDWR, 0));
            }


            var argv = strings.Array(args);
            var envp = strings.Array(env);
            int pid;
            var error = LibC.posix_spawn(&pid, strings.Add(path), actions, attr, argv, envp);
            return error == 0 ? (pid, 0) : (0, error);
        }
        finally
        {
            _ = LibC.posix_spawn_file_actions_destroy(actions); // only frees memory: cannot fail
            _ = LibC.posix_spawnattr_destroy(attr);
        }
    }

    /// <summary>The posix_spawn family returns the error number instead of setting errno.</summary>
    private static void Check(int result) => Linux.Sys.CheckResult(result, "posix_spawn setup");
}
