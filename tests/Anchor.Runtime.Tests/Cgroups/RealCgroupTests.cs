using System.Diagnostics;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

/// <summary>
/// Against the host's real cgroupfs: needs root. Each test uses a unique group and destroys it.
/// Without root (or without a writable cgroupfs) the tests return early: xunit 2 has no runtime skip.
/// </summary>
public sealed class RealCgroupTests
{
    private static bool IsRoot => LibC.geteuid() == 0;

    private static string UniqueId() => $"test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32];

    [Fact]
    public void HostCgroup_LimitsAddProcessAndDestroy()
    {
        if (!IsRoot)
        {
            return;
        }

        var id = UniqueId();
        var cg = CgroupFactory.Create(id);
        Process? sleeper = null;
        try
        {
            var withSwap = cg.Version == CgroupVersion.V1
                && File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
            cg.Create(new SpecResources
            {
                Memory = new SpecMemory { Limit = 64L * 1024 * 1024 },
                Pids = new SpecPids { Limit = 8 },
                Cpu = new SpecCpu { Quota = 50_000, Period = 100_000 },
            });

            if (cg.Version == CgroupVersion.V1)
            {
                var dirs = ((CgroupV1Manager)cg).Directories;
                Assert.Equal("8", File.ReadAllText(Path.Combine(dirs["pids"], "pids.max")).Trim());
                Assert.Equal("67108864", File.ReadAllText(Path.Combine(dirs["memory"], "memory.limit_in_bytes")).Trim());
                if (withSwap)
                {
                    Assert.Equal("134217728", File.ReadAllText(Path.Combine(dirs["memory"], "memory.memsw.limit_in_bytes")).Trim());
                }

                Assert.Equal("50000", File.ReadAllText(Path.Combine(dirs["cpu"], "cpu.cfs_quota_us")).Trim());
            }
            else
            {
                Assert.Equal("8", File.ReadAllText(Path.Combine(cg.Path, "pids.max")).Trim());
                Assert.Equal("67108864", File.ReadAllText(Path.Combine(cg.Path, "memory.max")).Trim());
            }

            sleeper = Process.Start("sleep", "30");
            cg.AddProcess(sleeper.Id);

            var membership = File.ReadAllText($"/proc/{sleeper.Id}/cgroup");
            Assert.Contains($"/anchor/{id}", membership, StringComparison.Ordinal);
            Assert.Contains(sleeper.Id, cg.Pids());
            Assert.False(cg.OomKilled());

            cg.Destroy();

            Assert.True(sleeper.WaitForExit(5000));
            Assert.Empty(cg.Pids());
            AssertGone(cg);
            cg.Destroy();
        }
        finally
        {
            Cleanup(cg, sleeper);
        }
    }

    /// <summary>
    /// The v2 code path for real: on a hybrid host the cgroup2 mount at /sys/fs/cgroup/unified has no
    /// controllers, so the group gets no limits, but membership, cgroup.kill and rmdir are exercised.
    /// </summary>
    [Fact]
    public void UnifiedHierarchy_AddProcessAndDestroy()
    {
        var root = CgroupDetector.Detect() == CgroupVersion.V2 ? CgroupDetector.DefaultRoot : "/sys/fs/cgroup/unified";
        if (!IsRoot || !Directory.Exists(root) || CgroupDetector.Detect(root) != CgroupVersion.V2)
        {
            return;
        }

        var id = UniqueId();
        var cg = CgroupFactory.Create(id, CgroupVersion.V2, root);
        Process? sleeper = null;
        try
        {
            cg.Create(null);
            sleeper = Process.Start("sleep", "30");
            cg.AddProcess(sleeper.Id);

            Assert.Contains($"0::/anchor/{id}", File.ReadAllText($"/proc/{sleeper.Id}/cgroup"), StringComparison.Ordinal);
            Assert.Equal([sleeper.Id], cg.Pids());

            cg.Destroy();

            Assert.True(sleeper.WaitForExit(5000));
            Assert.False(Directory.Exists(cg.Path));
        }
        finally
        {
            Cleanup(cg, sleeper);
        }
    }

    /// <summary>
    /// The device program for real: on a hybrid host the kernel runs the programs of a process's cgroup2
    /// group (its v1 devices group stays the root's, which allows everything), so a process moved into a
    /// group made with the runtime's default rules can open /dev/null but not a loop device.
    /// </summary>
    [Fact]
    public void UnifiedHierarchy_DeviceProgram_RefusesLoopDevice_AllowsNull()
    {
        var root = CgroupDetector.Detect() == CgroupVersion.V2 ? CgroupDetector.DefaultRoot : "/sys/fs/cgroup/unified";
        if (!IsRoot || !Directory.Exists(root) || CgroupDetector.Detect(root) != CgroupVersion.V2 || !File.Exists("/dev/loop0"))
        {
            return;
        }

        var cg = CgroupFactory.Create(UniqueId(), CgroupVersion.V2, root);
        Process? shell = null;
        try
        {
            cg.Create(null);
            var start = new ProcessStartInfo("/bin/sh", ["-c", "read go; head -c 1 /dev/loop0 2>&1 >/dev/null; echo loop=$?; head -c 1 /dev/null; echo null=$?"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            shell = Process.Start(start)!;
            cg.AddProcess(shell.Id);
            shell.StandardInput.WriteLine("go");
            shell.StandardInput.Close();
            var output = shell.StandardOutput.ReadToEnd();
            Assert.True(shell.WaitForExit(10_000));

            Assert.Contains("Operation not permitted", output, StringComparison.Ordinal);
            Assert.Contains("loop=1", output, StringComparison.Ordinal);
            Assert.Contains("null=0", output, StringComparison.Ordinal);
        }
        finally
        {
            Cleanup(cg, shell);
        }
    }

    private static void AssertGone(ICgroupManager cg)
    {
        if (cg is CgroupV1Manager v1)
        {
            foreach (var dir in v1.Directories.Values)
            {
                Assert.False(Directory.Exists(dir), dir);
            }
        }
        else
        {
            Assert.False(Directory.Exists(cg.Path));
        }
    }

    private static void Cleanup(ICgroupManager cg, Process? sleeper)
    {
        if (sleeper is { HasExited: false })
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }

        sleeper?.Dispose();
        cg.Destroy();
    }
}
