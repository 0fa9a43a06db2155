using Anchor.Linux;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// A container cgroup on the unified hierarchy (Documentation/admin-guide/cgroup-v2.rst). Controllers
/// reach a group only when every ancestor lists them in cgroup.subtree_control, and by the
/// "no internal process" rule the ancestors (e.g. anchor/) must hold no processes themselves.
/// </summary>
public sealed class CgroupV2Manager : ICgroupManager
{
    /// <summary>
    /// The controllers a container group gets when the host offers them: io for io.stat (docker
    /// stats' BLOCK I/O) and --blkio-weight, cpuset for --cpuset-cpus/-mems (an empty cpuset.cpus
    /// means the parent's, unlike v1).
    /// </summary>
    public static readonly IReadOnlyList<string> Controllers = ["cpu", "cpuset", "io", "memory", "pids"];

    private readonly string _root;
    private readonly string _relativePath;
    private readonly Action<string, string>? _onWrite;
    private readonly Action<string, byte[]> _attachDeviceFilter;

    /// <param name="root">The cgroup2 mount, /sys/fs/cgroup, or a fake one in tests.</param>
    /// <param name="relativePath">The group below the root, e.g. anchor/&lt;id&gt;.</param>
    /// <param name="onWrite">Sees every (file, value) before it is written: logging and tests.</param>
    /// <param name="attachDeviceFilter">Attaches a device program to the group's directory:
    /// <see cref="DeviceFilter.Attach"/> unless a test records it instead.</param>
    public CgroupV2Manager(string root, string relativePath, Action<string, string>? onWrite = null, Action<string, byte[]>? attachDeviceFilter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        _root = root;
        _relativePath = relativePath.Trim('/');
        _onWrite = onWrite;
        _attachDeviceFilter = attachDeviceFilter ?? DeviceFilter.Attach;
        Path = System.IO.Path.Combine(root, _relativePath);
    }

    public CgroupVersion Version => CgroupVersion.V2;

    public string Path { get; }

    public void Create(SpecResources? resources)
    {
        var created = new List<string>();
        try
        {
            // Ancestors first, each enabling the controllers for its children, then the leaf.
            var dir = _root;
            foreach (var segment in _relativePath.Split('/'))
            {
                EnableControllers(dir);
                dir = System.IO.Path.Combine(dir, segment);
                if (CgroupFs.MakeDir(dir))
                {
                    created.Add(dir);
                }
            }

            WriteLimits(resources);

            // v2 has no devices controller: the allowlist is a BPF program on the group (cgroup-v2.rst
            // "Device controller"), in place before any process joins. Allow-all needs none.
            var devices = DeviceRuleSet.ForContainer(resources?.Devices);
            if (!devices.AllowsAll)
            {
                _attachDeviceFilter(Path, DeviceFilterProgram.Assemble(devices));
            }
        }
        catch
        {
            // Only the leaf is ours alone; a shared parent such as anchor/ stays for other containers.
            if (created.Contains(Path))
            {
                try
                {
                    CgroupFs.RemoveDir(Path);
                }
                catch (CgroupException)
                {
                    // Keep the original failure; Destroy retries.
                }
            }

            throw;
        }
    }

    /// <summary>Writes "+name" to cgroup.subtree_control for each wanted controller available but not yet enabled.</summary>
    private void EnableControllers(string dir)
    {
        var available = Words(System.IO.Path.Combine(dir, "cgroup.controllers"));
        var enabled = Words(System.IO.Path.Combine(dir, "cgroup.subtree_control"));
        foreach (var controller in Controllers)
        {
            if (available.Contains(controller) && !enabled.Contains(controller))
            {
                try
                {
                    CgroupFs.Write(dir, "cgroup.subtree_control", "+" + controller, _onWrite);
                }
                catch (CgroupException e)
                {
                    throw new CgroupException(
                        $"{e.Message} (a cgroup with processes cannot enable controllers for children: cgroup-v2.rst \"No Internal Process Constraint\")", e);
                }
            }
        }
    }

    private static HashSet<string> Words(string path) =>
        new((CgroupFs.ReadOrNull(path) ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>Writes the limits of a running (or created) container again: docker update.</summary>
    public void Update(SpecResources resources) => WriteLimits(resources);

    private void WriteLimits(SpecResources? resources)
    {
        if (resources?.Memory is { } memory)
        {
            WriteMemory(memory);
        }

        if (resources?.Cpu is { } cpu)
        {
            if (CgroupLimits.NeedsCpu(resources))
            {
                var quota = cpu.Quota is > 0 and var q ? CgroupLimits.Format(q) : "max";
                CgroupFs.Write(Path, "cpu.max", $"{quota} {CgroupLimits.Format(cpu.Period ?? CgroupLimits.DefaultCpuPeriod)}", _onWrite);
            }

            if (cpu.Shares is { } shares and > 0)
            {
                CgroupFs.Write(Path, "cpu.weight", CgroupLimits.Format(CgroupLimits.CpuWeight(shares)), _onWrite);
            }

            if (!string.IsNullOrEmpty(cpu.Cpus))
            {
                CgroupFs.Write(Path, "cpuset.cpus", cpu.Cpus, _onWrite);
            }

            if (!string.IsNullOrEmpty(cpu.Mems))
            {
                CgroupFs.Write(Path, "cpuset.mems", cpu.Mems, _onWrite);
            }
        }

        if (resources?.Pids is { } pids)
        {
            CgroupFs.Write(Path, "pids.max", CgroupLimits.PidsMax(pids.Limit), _onWrite);
        }

        // io.bfq.weight has blkio's range and takes the value as is; io.weight (the cost model) is
        // 1..10000 (runc's fs2 setIo does the same choice).
        if (resources?.BlockIo?.Weight is { } weight and > 0)
        {
            if (File.Exists(System.IO.Path.Combine(Path, "io.bfq.weight")))
            {
                CgroupFs.Write(Path, "io.bfq.weight", CgroupLimits.Format((long)weight), _onWrite);
            }
            else if (File.Exists(System.IO.Path.Combine(Path, "io.weight")))
            {
                CgroupFs.Write(Path, "io.weight", "default " + CgroupLimits.Format(CgroupLimits.IoWeight(weight)), _onWrite);
            }
        }
    }

    /// <summary>
    /// memory.max, memory.swap.max and memory.low (the reservation, cgroup-v2.rst "memory.low").
    /// v2 has no switch for the OOM killer: the engine drops --oom-kill-disable with docker's warning.
    /// </summary>
    private void WriteMemory(SpecMemory memory)
    {
        if (memory.Limit is { } limit)
        {
            CgroupFs.Write(Path, "memory.max", limit > 0 ? CgroupLimits.Format(limit) : "max", _onWrite);
        }

        // v2 limits swap alone (memory.swap.max), v1 and the spec limit memory+swap: subtract.
        // The file is absent without swap accounting; then there is nothing to limit.
        if ((memory.Limit is not null || memory.Swap is not null) && SwapMax(memory) is { } swapMax
            && File.Exists(System.IO.Path.Combine(Path, "memory.swap.max")))
        {
            CgroupFs.Write(Path, "memory.swap.max", swapMax, _onWrite);
        }

        if (memory.Reservation is { } reservation)
        {
            CgroupFs.Write(Path, "memory.low", reservation > 0 ? CgroupLimits.Format(reservation) : "0", _onWrite);
        }
    }

    private static string? SwapMax(SpecMemory memory)
    {
        var total = CgroupLimits.MemorySwapTotal(memory);
        if (total is null)
        {
            return null;
        }

        if (total < 0 || memory.Limit is not > 0)
        {
            return total < 0 ? "max" : null;
        }

        var swap = total.Value - memory.Limit.Value;
        return swap >= 0
            ? CgroupLimits.Format(swap)
            : throw new CgroupException($"cgroup: memory+swap limit {total} (memory.swap.max) is below the memory limit {memory.Limit}");
    }

    /// <summary>
    /// None on v2: a domain cgroup takes whole processes only (cgroup.procs), and that move takes the
    /// global lock however it is asked for; the launcher moves the process (<see cref="AddProcess"/>).
    /// </summary>
    public IReadOnlyList<OwnedFd>? OpenTasksFiles() => null;

    public void AddProcess(int pid) => CgroupFs.Write(Path, "cgroup.procs", CgroupLimits.Format(pid), _onWrite);

    public void AddThread(int tid) =>
        throw new NotSupportedException("cgroup v2 moves whole processes only (cgroup.threads needs a threaded subtree): use AddProcess");

    /// <summary>memory.events oom_kill counts kills in this group and its descendants (cgroup-v2.rst "memory.events").</summary>
    public bool OomKilled() => CgroupFs.ReadKey(System.IO.Path.Combine(Path, "memory.events"), "oom_kill") is > 0;

    public IReadOnlyList<int> Pids() => CgroupFs.AllPids([Path]);

    public void Kill(int signal) => _ = CgroupFs.Signal([Path], signal);

    /// <summary>
    /// memory.current, memory.max, cpu.stat usage_usec, pids.current and io.stat (cgroup-v2.rst); io.stat
    /// is absent when the io controller is not enabled for the group, and then reads as no I/O.
    /// </summary>
    public CgroupStats Stats()
    {
        var (read, written) = BlockIoStats.ParseV2IoStat(CgroupFs.ReadOrNull(System.IO.Path.Combine(Path, "io.stat")));
        return new(
            CgroupFs.ReadNumber(System.IO.Path.Combine(Path, "memory.current")) ?? 0,
            CgroupFs.ReadNumber(System.IO.Path.Combine(Path, "memory.max")),
            (CgroupFs.ReadKey(System.IO.Path.Combine(Path, "cpu.stat"), "usage_usec") ?? 0) * 1000,
            CgroupFs.ReadNumber(System.IO.Path.Combine(Path, "pids.current")) ?? 0,
            read,
            written);
    }

    public void Freeze(bool frozen) => CgroupFs.Write(Path, "cgroup.freeze", frozen ? "1" : "0", _onWrite);

    public void Destroy()
    {
        if (CgroupFs.TryRemoveEmpty([Path]))
        {
            return;
        }

        // cgroup.kill (Linux 5.14) SIGKILLs the whole subtree atomically, with no fork race.
        if (File.Exists(System.IO.Path.Combine(Path, "cgroup.kill")))
        {
            try
            {
                CgroupFs.Write(Path, "cgroup.kill", "1", _onWrite);
            }
            catch (CgroupException)
            {
                // Fall back to signalling the listed processes below.
            }
        }

        CgroupFs.KillAll([Path]);
        CgroupFs.RemoveDir(Path);
    }
}
