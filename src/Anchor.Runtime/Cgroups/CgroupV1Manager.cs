using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// A container cgroup on cgroup v1: the same relative path under each controller hierarchy
/// (Documentation/admin-guide/cgroup-v1/cgroups.rst). A new cpuset group starts with empty
/// cpuset.cpus/mems and refuses tasks until they are filled, so each group made on the way gets its
/// parent's (<see cref="InheritCpuset"/>, runc's cpuset ensureParent) before --cpuset-cpus/-mems
/// narrow the leaf. blkio gives docker stats' BLOCK I/O and --blkio-weight. devices holds the device
/// allowlist (cgroup-v1/devices.rst), written by <see cref="WriteDevices"/> before any process joins.
/// </summary>
public sealed class CgroupV1Manager : ICgroupManager
{
    /// <summary>The hierarchies used, by mount directory name under the cgroup root.</summary>
    public static readonly IReadOnlyList<string> Controllers = ["memory", "cpu", "cpuacct", "pids", "freezer", "blkio", "devices", "cpuset"];

    private readonly Dictionary<string, string> _dirByController = new(StringComparer.Ordinal);
    private readonly List<string> _dirs = [];
    private readonly Action<string, string>? _onWrite;
    private readonly string _relativePath;
    private readonly string _cpusetMount = "";

    /// <param name="root">The cgroup root, /sys/fs/cgroup, or a fake one in tests.</param>
    /// <param name="relativePath">The group under each hierarchy, e.g. anchor/&lt;id&gt;.</param>
    /// <param name="onWrite">Sees every (file, value) before it is written: logging and tests.</param>
    public CgroupV1Manager(string root, string relativePath, Action<string, string>? onWrite = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        _onWrite = onWrite;
        _relativePath = relativePath.Trim('/');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var controller in Controllers)
        {
            var mount = System.IO.Path.Combine(root, controller);
            if (!Directory.Exists(mount))
            {
                continue;
            }

            // cpu and cpuacct are usually symlinks to one "cpu,cpuacct" hierarchy: one directory, made once.
            var real = new DirectoryInfo(mount).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? mount;
            var dir = System.IO.Path.Combine(real, relativePath);
            _dirByController[controller] = dir;
            if (controller == "cpuset")
            {
                _cpusetMount = real;
            }

            if (seen.Add(real))
            {
                _dirs.Add(dir);
            }
        }

        Path = $"{root}/{{{string.Join(',', _dirByController.Keys)}}}/{relativePath}";
    }

    public CgroupVersion Version => CgroupVersion.V1;

    public string Path { get; }

    /// <summary>The directory per controller that exists on this host.</summary>
    public IReadOnlyDictionary<string, string> Directories => _dirByController;

    public void Create(SpecResources? resources)
    {
        var created = new List<string>();
        try
        {
            foreach (var dir in _dirs)
            {
                if (CgroupFs.MakeDir(dir))
                {
                    created.Add(dir);
                }
            }

            InheritCpuset();
            WriteLimits(resources, update: false);
            WriteDevices(resources?.Devices);
        }
        catch
        {
            for (var i = created.Count - 1; i >= 0; i--)
            {
                try
                {
                    CgroupFs.RemoveDir(created[i]);
                }
                catch (CgroupException)
                {
                    // Keep the original failure; a leftover empty group is harmless and Destroy retries.
                }
            }

            throw;
        }
    }

    /// <summary>Writes the limits of a running (or created) container again: docker update.</summary>
    public void Update(SpecResources resources) => WriteLimits(resources, update: true);

    private void WriteLimits(SpecResources? resources, bool update)
    {
        if (resources?.Memory is { } memory)
        {
            if (CgroupLimits.NeedsMemory(resources))
            {
                WriteMemory(Require("memory"), memory, update);
            }

            if (CgroupLimits.NeedsMemorySoft(resources))
            {
                var dir = Require("memory");
                if (memory.Reservation is { } reservation)
                {
                    CgroupFs.Write(dir, "memory.soft_limit_in_bytes", reservation > 0 ? CgroupLimits.Format(reservation) : "-1", _onWrite);
                }

                // memory.oom_control takes 1 to disable the OOM killer (cgroup-v1/memory.rst 10. OOM Control).
                if (memory.DisableOomKiller is true)
                {
                    CgroupFs.Write(dir, "memory.oom_control", "1", _onWrite);
                }
            }
        }

        if (resources?.Cpu is { } cpu)
        {
            if (CgroupLimits.NeedsCpu(resources))
            {
                var dir = Require("cpu");
                // Period before quota, as runc does: the kernel checks quota against the current period (sched-bwc.rst).
                if (cpu.Period is { } period)
                {
                    CgroupFs.Write(dir, "cpu.cfs_period_us", CgroupLimits.Format(period), _onWrite);
                }

                if (cpu.Quota is { } quota)
                {
                    CgroupFs.Write(dir, "cpu.cfs_quota_us", quota > 0 ? CgroupLimits.Format(quota) : "-1", _onWrite);
                }
            }

            if (cpu.Shares is { } shares and > 0)
            {
                CgroupFs.Write(Require("cpu"), "cpu.shares", CgroupLimits.Format(shares), _onWrite);
            }

            if (!string.IsNullOrEmpty(cpu.Cpus))
            {
                CgroupFs.Write(Require("cpuset"), "cpuset.cpus", cpu.Cpus, _onWrite);
            }

            if (!string.IsNullOrEmpty(cpu.Mems))
            {
                CgroupFs.Write(Require("cpuset"), "cpuset.mems", cpu.Mems, _onWrite);
            }
        }

        if (resources?.Pids is { } pids)
        {
            CgroupFs.Write(Require("pids"), "pids.max", CgroupLimits.PidsMax(pids.Limit), _onWrite);
        }

        // blkio.weight exists only under the BFQ (formerly CFQ) scheduler; the engine has warned and
        // dropped the weight when the host offers none (docker's "Weight discarded").
        if (resources?.BlockIo?.Weight is { } weight and > 0 && _dirByController.TryGetValue("blkio", out var blkio)
            && File.Exists(System.IO.Path.Combine(blkio, "blkio.weight")))
        {
            CgroupFs.Write(blkio, "blkio.weight", CgroupLimits.Format((long)weight), _onWrite);
        }
    }

    /// <summary>
    /// memory.limit_in_bytes and memory.memsw.limit_in_bytes, in the order the kernel accepts: memsw
    /// must stay >= the limit (memory.rst "memory.memsw.limit_in_bytes"). A new group starts unlimited,
    /// so the limit goes first; an update that raises memsw above the current limit (or makes it
    /// unlimited) writes memsw first, as runc's setMemoryAndSwap does.
    /// </summary>
    private void WriteMemory(string dir, SpecMemory memory, bool update)
    {
        var swap = CgroupLimits.MemorySwapTotal(memory);
        // memsw files exist only with swap accounting (CONFIG_MEMCG_SWAP, swapaccount=1).
        var hasSwap = File.Exists(System.IO.Path.Combine(dir, "memory.memsw.limit_in_bytes"));
        var swapFirst = update && hasSwap && swap is { } total && memory.Limit is not null
            && (total < 0 || (CgroupFs.ReadNumber(System.IO.Path.Combine(dir, "memory.limit_in_bytes")) ?? long.MaxValue) < total);
        if (swapFirst)
        {
            CgroupFs.Write(dir, "memory.memsw.limit_in_bytes", CgroupLimits.Format(swap!.Value), _onWrite);
        }

        if (memory.Limit is { } limit)
        {
            WriteMemoryLimit(dir, limit);
        }

        if (!swapFirst && hasSwap && swap is { } value)
        {
            CgroupFs.Write(dir, "memory.memsw.limit_in_bytes", CgroupLimits.Format(value), _onWrite);
        }
    }

    /// <summary>EBUSY: the kernel could not reclaim below the new limit; runc's words, with the usage.</summary>
    private void WriteMemoryLimit(string dir, long limit)
    {
        try
        {
            CgroupFs.Write(dir, "memory.limit_in_bytes", CgroupLimits.Format(limit), _onWrite);
        }
        catch (CgroupException e) when (e.InnerException is LinuxException { Errno: LibC.EBUSY })
        {
            var usage = CgroupFs.ReadNumber(System.IO.Path.Combine(dir, "memory.usage_in_bytes")) ?? 0;
            var peak = CgroupFs.ReadNumber(System.IO.Path.Combine(dir, "memory.max_usage_in_bytes")) ?? 0;
            throw new CgroupException($"unable to set memory limit to {limit} (current usage: {usage}, peak usage: {peak})", e);
        }
    }

    /// <summary>
    /// Fills empty cpuset.cpus and cpuset.mems from the parent, from the hierarchy's root down to the
    /// container's group: the kernel refuses tasks in a cpuset group with either empty
    /// (cgroup-v1/cpusets.rst 1.3), and mkdir leaves both empty unless cgroup.clone_children is set.
    /// </summary>
    private void InheritCpuset()
    {
        if (_cpusetMount.Length == 0)
        {
            return;
        }

        var parent = _cpusetMount;
        foreach (var segment in _relativePath.Split('/'))
        {
            var dir = System.IO.Path.Combine(parent, segment);
            foreach (var file in (string[])["cpuset.cpus", "cpuset.mems"])
            {
                if ((CgroupFs.ReadOrNull(System.IO.Path.Combine(dir, file)) ?? "").Trim().Length == 0)
                {
                    var inherited = (CgroupFs.ReadOrNull(System.IO.Path.Combine(parent, file)) ?? "").Trim();
                    if (inherited.Length > 0)
                    {
                        CgroupFs.Write(dir, file, inherited, _onWrite);
                    }
                }
            }

            parent = dir;
        }
    }

    /// <summary>
    /// The device allowlist as the kernel is to hold it (<see cref="DeviceRuleSet"/>): "a" to devices.deny
    /// (deny everything, forget the exceptions inherited from the parent), then one exception per write
    /// to devices.allow; or, for an allow-all set (--privileged), "a" to devices.allow and the denials to
    /// devices.deny. For docker's defaults that is 13 writes through two descriptors. A host without the
    /// devices hierarchy gets none, as runc skips a controller that is not mounted.
    /// </summary>
    private void WriteDevices(IReadOnlyList<SpecDeviceCgroup>? rules)
    {
        if (!_dirByController.TryGetValue("devices", out var dir))
        {
            return;
        }

        var set = DeviceRuleSet.ForContainer(rules);
        CgroupFs.Write(dir, set.DefaultAllow ? "devices.allow" : "devices.deny", "a", _onWrite);
        CgroupFs.WriteEach(dir, set.DefaultAllow ? "devices.deny" : "devices.allow", [.. set.Exceptions.Select(r => r.ToString())], _onWrite);
    }

    private string Require(string controller) =>
        _dirByController.TryGetValue(controller, out var dir)
            ? dir
            : throw new CgroupException($"cgroup: the {controller} controller is not mounted under {Path}");

    public void AddProcess(int pid)
    {
        var value = CgroupLimits.Format(pid);
        foreach (var dir in _dirs)
        {
            try
            {
                CgroupFs.Write(dir, "cgroup.procs", value, _onWrite);
            }
            catch (CgroupException e) when (e.InnerException is LinuxException { Errno: LibC.ENOENT } && !Directory.Exists(dir))
            {
                // A container an earlier version started has no group in a hierarchy joined since
                // (devices): an exec joins the groups it has, as its container did.
            }
        }
    }

    /// <summary>
    /// Opens each hierarchy's "tasks" file for writing, for a process of one thread that joins the
    /// group itself by writing "0" (its own thread): the kernel moves a single thread of the writer
    /// without the global cgroup_threadgroup_rwsem, so without the RCU grace period that a move by
    /// pid waits for after a quiet spell (kernel/cgroup/cgroup.c, cgroup_procs_write_start).
    /// </summary>
    public IReadOnlyList<OwnedFd>? OpenTasksFiles()
    {
        var files = new List<OwnedFd>(_dirs.Count);
        try
        {
            foreach (var dir in _dirs)
            {
                var path = System.IO.Path.Combine(dir, "tasks");
                _onWrite?.Invoke(path, "0");
                var fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
                if (fd < 0)
                {
                    var error = LinuxException.FromLastError("open", path);
                    throw new CgroupException($"cgroup: {error.Message}", error);
                }

                files.Add(new OwnedFd(fd));
            }

            return files;
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    public void AddThread(int tid)
    {
        var value = CgroupLimits.Format(tid);
        foreach (var dir in _dirs)
        {
            CgroupFs.Write(dir, "tasks", value, _onWrite);
        }
    }

    /// <summary>
    /// memory.oom_control has an oom_kill counter since Linux 4.13; older kernels only show
    /// memory.failcnt (times the limit was hit), a weaker signal used as the fallback.
    /// </summary>
    public bool OomKilled()
    {
        if (!_dirByController.TryGetValue("memory", out var dir))
        {
            return false;
        }

        return CgroupFs.ReadKey(System.IO.Path.Combine(dir, "memory.oom_control"), "oom_kill") is { } kills
            ? kills > 0
            : long.TryParse(CgroupFs.ReadOrNull(System.IO.Path.Combine(dir, "memory.failcnt"))?.Trim(), out var failcnt) && failcnt > 0;
    }

    public IReadOnlyList<int> Pids() => CgroupFs.AllPids(_dirs);

    public void Kill(int signal) => _ = CgroupFs.Signal(_dirs, signal);

    public CgroupStats Stats()
    {
        string File(string controller, string name) =>
            _dirByController.TryGetValue(controller, out var dir) ? System.IO.Path.Combine(dir, name) : "/nonexistent";

        // An unlimited v1 group reports a huge page-rounded limit (PAGE_COUNTER_MAX pages).
        var limit = CgroupFs.ReadNumber(File("memory", "memory.limit_in_bytes"));
        var (read, written) = BlockIo(File);
        return new CgroupStats(
            CgroupFs.ReadNumber(File("memory", "memory.usage_in_bytes")) ?? 0,
            limit is > 0 and < long.MaxValue / 2 ? limit : null,
            CgroupFs.ReadNumber(File("cpuacct", "cpuacct.usage")) ?? 0,
            CgroupFs.ReadNumber(File("pids", "pids.current")) ?? 0,
            read,
            written);
    }

    /// <summary>
    /// The first blkio file with per-device lines, in runc's order (libcontainer/cgroups/fs/blkio.go):
    /// the BFQ and CFQ scheduler statistics count what the disk served, and are present only when such
    /// a scheduler runs; the throttle layer's counters (blkio-controller.rst "Throttling/Upper limit
    /// policy") see every bio and are the usual source. The _recursive files include child groups.
    /// Since Linux 6.10 blk-throttle is set up on a disk only when some group first sets a throttle rule
    /// for it ("blk-throttle: delay initialization until configuration"), and until then the throttle
    /// counters stay zero: docker shows 0B there too. Anchor does not set a rule to force it.
    /// </summary>
    private static (long Read, long Written) BlockIo(Func<string, string, string> file)
    {
        string[] candidates =
        [
            "blkio.bfq.io_service_bytes_recursive",
            "blkio.io_service_bytes_recursive",
            "blkio.throttle.io_service_bytes_recursive",
            "blkio.throttle.io_service_bytes",
        ];
        foreach (var name in candidates)
        {
            if (BlockIoStats.ParseV1ServiceBytes(CgroupFs.ReadOrNull(file("blkio", name))) is { } bytes)
            {
                return bytes;
            }
        }

        return (0, 0);
    }

    public void Freeze(bool frozen)
    {
        if (!_dirByController.TryGetValue("freezer", out var dir))
        {
            throw new CgroupException("cgroup: the freezer controller is not mounted; cannot pause");
        }

        CgroupFs.Write(dir, "freezer.state", frozen ? "FROZEN" : "THAWED", _onWrite);
    }

    public void Destroy()
    {
        if (CgroupFs.TryRemoveEmpty(_dirs))
        {
            return;
        }

        CgroupFs.KillAll(_dirs);
        foreach (var dir in _dirs)
        {
            CgroupFs.RemoveDir(dir);
        }
    }
}
