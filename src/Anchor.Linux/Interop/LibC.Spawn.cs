using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// spawn.h: posix_spawn(3) with its attribute and file-action objects (opaque; callers give them
// SpawnObjectSize bytes, more than glibc's 336 and 80).
public static unsafe partial class LibC
{
    public const int SpawnObjectSize = 512;

    /// <summary>glibc: the child calls setsid(2) (POSIX 2024 POSIX_SPAWN_SETSID).</summary>
    public const short POSIX_SPAWN_SETSID = 0x80;

    /// <summary>The child resets the signals of <c>posix_spawnattr_setsigdefault</c> to SIG_DFL.</summary>
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;

    /// <summary>The child's signal mask is the one given by <c>posix_spawnattr_setsigmask</c>.</summary>
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>glibc's sigset_t: 1024 bits.</summary>
    public const int SigsetSize = 128;

    [LibraryImport(Lib)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, string path, int oflag, uint mode);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);

    /// <summary>glibc 2.34: close every descriptor from <paramref name="from"/> up in the child.</summary>
    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* actions, int from);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport(Lib)]
    public static partial int sigfillset(void* sigset);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* sigset);

    /// <summary>glibc 2.29: fchdir(2) in the child.</summary>
    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addfchdir_np(void* actions, int fd);

    /// <summary>glibc 2.29: chdir(2) in the child.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, string path);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclose(void* actions, int fd);
}
