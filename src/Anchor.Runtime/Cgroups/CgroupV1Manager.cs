using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// A container cgroup on cgroup v1: the same relative path under each controller hierarchy
/// (Documentation/admin-guide/cgroup-v1/cgroups.rst). cpuset is left out: a new cpuset group starts
/// with empty cpuset.cpus/mems and refuses tasks until they are filled. blkio is joined only for its
/// I/O statistics (docker stats' BLOCK I/O); no blkio limit is written. devices holds the device
/// allowlist (cgroup-v1/devices.rst), written by <see cref="WriteDevices"/> before any process joins.
/// </summary>
public sealed class CgroupV1Manager : ICgroupManager
{
    /// <summary>The hierarchies used, by mount directory name under the cgroup root.</summary>
    public static readonly IReadOnlyList<string> Controllers = ["memory", "cpu", "cpuacct", "pids", "freezer", "blkio", "devices"];

    private readonly Dictionary<string, string> _dirByController = new(StringComparer.Ordinal);
    private readonly List<string> _dirs = [];
    private readonly Action<string, string>? _onWrite;

    /// <param name="root">The cgroup root, /sys/fs/cgroup, or a fake one in tests.</param>
    /// <param name="relativePath">The group under each hierarchy, e.g. anchor/&lt;id&gt;.</param>
    /// <param name="onWrite">Sees every (file, value) before it is written: logging and tests.</param>
    public CgroupV1Manager(string root, string relativePath, Action<string, string>? onWrite = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        _onWrite = onWrite;
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

            WriteLimits(resources);
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

    private void WriteLimits(SpecResources? resources)
    {
        if (resources?.Memory is { } memory && CgroupLimits.NeedsMemory(resources))
        {
            var dir = Require("memory");
            // The limit first: memsw must stay >= the limit (memory.rst "memory.memsw.limit_in_bytes").
            if (memory.Limit is { } limit)
            {
                CgroupFs.Write(dir, "memory.limit_in_bytes", CgroupLimits.Format(limit), _onWrite);
            }

            // memsw files exist only with swap accounting (CONFIG_MEMCG_SWAP, swapaccount=1).
            if (CgroupLimits.MemorySwapTotal(memory) is { } swap && File.Exists(System.IO.Path.Combine(dir, "memory.memsw.limit_in_bytes")))
            {
                CgroupFs.Write(dir, "memory.memsw.limit_in_bytes", CgroupLimits.Format(swap), _onWrite);
            }
        }

        if (resources?.Cpu is { } cpu && CgroupLimits.NeedsCpu(resources))
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

        if (resources?.Pids is { } pids)
        {
            CgroupFs.Write(Require("pids"), "pids.max", CgroupLimits.PidsMax(pids.Limit), _onWrite);
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
