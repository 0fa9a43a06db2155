using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// What the init stage does before execve, done instead by the thread that unshared the container's
/// namespaces (<see cref="PendingSpawn"/>): every step acts on the calling thread only. Mounts and
/// pivot_root change this thread's mount namespace and root (it unshared its fs_struct with
/// CLONE_NEWNS), sethostname its uts namespace, and credentials, capability sets and no_new_privs
/// are per thread (raw setresuid/setresgid/setgroups, capset(2), prctl(2)). The spawned child
/// inherits all of it. /proc (which needs the child's pid namespace), the masked and read-only
/// paths and a read-only root are left to <see cref="ProcSetup"/>.
/// </summary>
internal static class ThreadSetup
{
    /// <summary>
    /// What needs no spec, done while the engine still prepares the bundle: the new network
    /// namespace's loopback up, the new mount namespace's propagation made private.
    /// </summary>
    /// <param name="unshared">The CLONE_NEW* flags the thread has just unshared.</param>
    public static void Early(int unshared)
    {
        if ((unshared & LibC.CLONE_NEWNET) != 0)
        {
            Loopback.Up();
        }

        if ((unshared & LibC.CLONE_NEWNS) != 0)
        {
            RootfsSetup.MakePrivate();
        }
    }

    /// <summary>Sets up the container and returns the program to execve (throws <see cref="InitFailureException"/>).</summary>
    public static string Prepare(Spec spec)
    {
        RootfsSetup.Prepare(spec, deferProc: true, privateAlready: true);
        RootfsSetup.SetHostname(spec);

        RootfsSetup.PivotRoot(spec.Root.Path);
        PhaseTrace.Mark("spawn: pivoted");

        return ProcessExec.Become(spec.Process, createCwd: true);
    }
}
