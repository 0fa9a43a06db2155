using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// The cgroup of one container, whatever the host's cgroup version.
/// Every setup has its undo: <see cref="Create"/> is undone by <see cref="Destroy"/>.
/// </summary>
public interface ICgroupManager
{
    CgroupVersion Version { get; }

    /// <summary>Where the cgroup lives, for logs and errors (v1 lists the hierarchies).</summary>
    string Path { get; }

    /// <summary>Makes the directories and writes the limits; on failure removes what it made and throws <see cref="CgroupException"/>.</summary>
    void Create(SpecResources? resources);

    /// <summary>
    /// Writes the limits again on an existing group (docker update): the memory pair in an order the
    /// kernel accepts from the current values; the device rules are left alone. Throws <see cref="CgroupException"/>.
    /// </summary>
    void Update(SpecResources resources);

    /// <summary>Moves a whole process (all its threads) into the cgroup.</summary>
    void AddProcess(int pid);

    /// <summary>
    /// v1: each hierarchy's "tasks" file open for writing, for a spawned child of one thread to join
    /// the group itself (<see cref="Anchor.Linux.GatedSpawn.JoinCgroup"/>); v2: null (the launcher
    /// uses <see cref="AddProcess"/>). Throws <see cref="CgroupException"/>.
    /// </summary>
    IReadOnlyList<Anchor.Linux.OwnedFd>? OpenTasksFiles();

    /// <summary>
    /// v1 only: moves one thread, so a child it starts is born inside the cgroup
    /// (see linux-from-dotnet.md). v2 refuses per-thread moves in a domain cgroup: throws <see cref="NotSupportedException"/>.
    /// </summary>
    void AddThread(int tid);

    /// <summary>True when the kernel's OOM killer killed a process of this cgroup.</summary>
    bool OomKilled();

    /// <summary>The processes in the cgroup (cgroup.procs), empty when the cgroup does not exist.</summary>
    IReadOnlyList<int> Pids();

    /// <summary>Sends <paramref name="signal"/> to every process in the cgroup; vanished processes are fine.</summary>
    void Kill(int signal);

    /// <summary>
    /// Freezes (true) or thaws every process of the group: v1 freezer.state FROZEN/THAWED
    /// (cgroup-v1/freezer-subsystem.rst), v2 cgroup.freeze 1/0 (cgroup-v2.rst "Core Interface Files").
    /// </summary>
    void Freeze(bool frozen);

    /// <summary>Current usage (docker stats): memory, cumulative CPU time, number of tasks, block I/O bytes.</summary>
    CgroupStats Stats();

    /// <summary>Kills what is left, waits for the cgroup to empty and removes the directories. Idempotent.</summary>
    void Destroy();
}
