using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// What the init stage does before its exec tail, done instead by the thread that unshared the
/// container's namespaces (<see cref="PendingSpawn"/>): every step acts on the calling thread only.
/// Mounts and pivot_root change this thread's mount namespace and root (it unshared its fs_struct
/// with CLONE_NEWNS), sethostname its uts namespace; the spawned child inherits them. The thread
/// keeps its credentials: the child drops them itself in the exec tail, after it has been placed
/// in its cgroup. /proc (which needs the child's pid namespace), the masked and read-only paths and
/// a read-only root are left to <see cref="ProcSetup"/>.
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

    /// <summary>The root's mount alone, as soon as its layers and directories exist (before the spec).</summary>
    public static void MountRoot(string root, SpecMount rootMount)
    {
        KernelSetupSteps.Instance.MountRoot(root, rootMount);
        PhaseTrace.Mark("setup: root mounted early");
    }

    /// <summary>Sets up the container's filesystem and returns the program to execve (throws <see cref="InitFailureException"/>).</summary>
    /// <param name="rootMounted">The root was mounted ahead of the spec, on this thread (<see cref="MountRoot"/>).</param>
    public static string Prepare(Spec spec, Action? cgroupReady, bool rootMounted)
    {
        SetupSequence.Filesystem(spec, KernelSetupSteps.Instance, deferProc: true, privateAlready: true, cgroupReady, rootMounted);
        SetupSequence.Pivot(spec, KernelSetupSteps.Instance);
        PhaseTrace.Mark("spawn: pivoted");

        return ProcessExec.Prepare(spec.Process, createCwd: true);
    }
}
