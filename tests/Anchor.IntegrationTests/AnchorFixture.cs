using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Anchor.IntegrationTests;

/// <summary>
/// Every test class that touches the private store joins this collection: one store for all of
/// them, and xunit runs the tests of one collection one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AnchorCollection : ICollectionFixture<AnchorFixture>
{
    public const string Name = "anchor";
}

/// <summary>
/// A private store (<c>--root &lt;tmp&gt;/root --runroot &lt;tmp&gt;/run</c>) with busybox:latest
/// imported from ANCHOR_BUSYBOX_TAR, and the real binary from ANCHOR_BIN. On dispose it checks
/// that nothing of the store is still mounted and no container cgroup is left, then deletes it.
/// </summary>
public sealed partial class AnchorFixture : IDisposable
{
    public const string Image = "busybox";

    /// <summary>The cgroup directories whose children are container cgroups (v1: one per controller; v2: one).</summary>
    private static readonly string[] CgroupParents =
    [
        "/sys/fs/cgroup/anchor",
        "/sys/fs/cgroup/memory/anchor",
        "/sys/fs/cgroup/pids/anchor",
        "/sys/fs/cgroup/cpu/anchor",
        "/sys/fs/cgroup/cpuacct/anchor",
        "/sys/fs/cgroup/cpu,cpuacct/anchor",
        "/sys/fs/cgroup/freezer/anchor",
        "/sys/fs/cgroup/blkio/anchor",
        "/sys/fs/cgroup/devices/anchor",
        "/sys/fs/cgroup/cpuset/anchor",
        "/sys/fs/cgroup/unified/anchor",
    ];

    private readonly HashSet<string> _cgroupsBefore;

    public AnchorFixture()
    {
        Bin = Environment.GetEnvironmentVariable("ANCHOR_BIN") is { Length: > 0 } bin ? bin : "/usr/local/bin/anchor";
        if (!File.Exists(Bin))
        {
            throw new InvalidOperationException($"anchor binary not found at {Bin}: set ANCHOR_BIN (test.sh sets it to `command -v anchor`)");
        }

        BusyboxTar = FindBusyboxTar();
        TempDir = Path.Combine(Path.GetTempPath(), "anchor-it-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(TempDir);
        Root = Path.Combine(TempDir, "root");
        RunRoot = Path.Combine(TempDir, "run");
        _cgroupsBefore = CgroupChildren();
        CgroupWatch.Watch(Root);

        ProcessResult import;
        try
        {
            import = Anchor(["import", "--change", "CMD [\"sh\"]", BusyboxTar, "busybox:latest"], timeout: TimeSpan.FromSeconds(60));
        }
        catch
        {
            Directory.Delete(TempDir, recursive: true);
            throw;
        }

        if (import.ExitCode != 0)
        {
            // xunit does not dispose a fixture whose constructor threw: clean up here.
            if (MountsUnderTempDir().Count == 0)
            {
                Directory.Delete(TempDir, recursive: true);
            }

            throw new InvalidOperationException($"importing {BusyboxTar} as busybox:latest failed: {import}");
        }
    }

    /// <summary>The anchor binary under test.</summary>
    public string Bin { get; }

    /// <summary>The busybox rootfs tarball (scripts/busybox-rootfs.sh).</summary>
    public string BusyboxTar { get; }

    /// <summary>A directory of our own; the store is inside it and tests may put scratch files here.</summary>
    public string TempDir { get; }

    public string Root { get; }

    public string RunRoot { get; }

    /// <summary>The global options that point anchor at the private store.</summary>
    public IReadOnlyList<string> StoreArgs => ["--root", Root, "--runroot", RunRoot];

    /// <summary>Runs <c>anchor --root R --runroot X ARGS...</c>.</summary>
    public ProcessResult Anchor(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(Bin, StoreArgs.Concat(args), stdin, timeout);

    public ProcessResult Anchor(IEnumerable<string> args, byte[] stdin, TimeSpan? timeout = null) =>
        ProcessRunner.Run(Bin, StoreArgs.Concat(args), stdin, timeout);

    /// <summary>Runs <c>anchor run --rm [OPTIONS] busybox COMMAND...</c>: options come before the image.</summary>
    public ProcessResult RunRm(IEnumerable<string> options, params string[] command) =>
        Anchor(new[] { "run", "--rm" }.Concat(options).Append(Image).Concat(command));

    /// <summary><c>anchor run --rm busybox COMMAND...</c>.</summary>
    public ProcessResult RunRm(params string[] command) => RunRm([], command);

    /// <summary><c>anchor run --rm busybox sh -c SCRIPT</c>.</summary>
    public ProcessResult Sh(string script, params string[] options) => RunRm(options, "sh", "-c", script);

    /// <summary>Runs and asserts exit 0, returning the trimmed stdout.</summary>
    public string ShOk(string script, params string[] options)
    {
        var result = Sh(script, options);
        Assert.True(result.ExitCode == 0, $"sh -c {script} with [{string.Join(' ', options)}] failed: {result}");
        return result.Out;
    }

    /// <summary>Every line of our mountinfo that mentions the private store's directory.</summary>
    public List<string> MountsUnderTempDir() =>
        File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(TempDir, StringComparison.Ordinal)).ToList();

    /// <summary>Full IDs of the containers the store knows (ps -a -q --no-trunc).</summary>
    public HashSet<string> ContainerIds()
    {
        var ps = Anchor(["ps", "-a", "-q", "--no-trunc"]);
        Assert.True(ps.ExitCode == 0, $"ps -a -q --no-trunc failed: {ps}");
        return ps.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// What --rm (and any exited container) must not leave: mounts of the store, directories under
    /// &lt;root&gt;/containers of containers that ps no longer lists, new cgroups under anchor/.
    /// </summary>
    public void AssertNoLeftovers()
    {
        var mounts = MountsUnderTempDir();
        Assert.True(mounts.Count == 0, "still mounted:\n" + string.Join('\n', mounts));

        var known = ContainerIds();
        var containersDir = Path.Combine(Root, "containers");
        if (Directory.Exists(containersDir))
        {
            var leftovers = Directory.EnumerateFileSystemEntries(containersDir)
                .Select(Path.GetFileName)
                .Where(n => n is not null && n != "lock" && !known.Contains(n) && !known.Any(k => k.StartsWith(n, StringComparison.Ordinal)))
                .ToList();
            Assert.True(leftovers.Count == 0, $"left under {containersDir}: {string.Join(", ", leftovers)}");
        }

        AssertNoNewCgroups();
    }

    /// <summary>No cgroup appeared under anchor/ since the fixture started (other stores may run meanwhile: retried briefly).</summary>
    public void AssertNoNewCgroups()
    {
        var extra = new List<string>();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            extra = CgroupChildren().Except(_cgroupsBefore).ToList();
            if (extra.Count == 0)
            {
                return;
            }

            Thread.Sleep(200);
        }

        Assert.Fail("container cgroups left behind: " + string.Join(", ", extra));
    }

    /// <summary>Every child directory of the anchor cgroup parents, as full paths.</summary>
    public static HashSet<string> CgroupChildren()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parent in CgroupParents)
        {
            try
            {
                if (Directory.Exists(parent))
                {
                    set.UnionWith(Directory.EnumerateDirectories(parent));
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return set;
    }

    public void Dispose()
    {
        // User networks also live in the kernel (a bridge, nftables chains), outside the store
        // deleted below: remove whatever containers and networks the tests left.
        var left = ContainerIds();
        if (left.Count > 0)
        {
            Anchor(["rm", "-f", .. left]);
        }

        Anchor(["network", "prune", "-f"]);

        var mounts = MountsUnderTempDir();
        if (mounts.Count > 0)
        {
            // Never delete recursively through a mount: it could reach the host's files.
            throw new XunitException($"the private store {TempDir} is still mounted after the tests (not deleted):\n" + string.Join('\n', mounts));
        }

        // Exited containers do not hold cgroups either (docker removes them when the container stops).
        var leftCgroups = CgroupChildren().Except(_cgroupsBefore).ToList();

        WaitForTrashReaper();
        try
        {
            Directory.Delete(TempDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XunitException($"could not delete {TempDir}: {e.Message}");
        }

        if (leftCgroups.Count > 0)
        {
            Thread.Sleep(1000);
            leftCgroups = CgroupChildren().Except(_cgroupsBefore).ToList();
            if (leftCgroups.Count > 0)
            {
                throw new XunitException("container cgroups left behind after the tests: " + string.Join(", ", leftCgroups));
            }
        }
    }

    /// <summary>Removed containers and volumes are deleted by a detached reaper: let it finish first.</summary>
    private void WaitForTrashReaper()
    {
        var trash = Path.Combine(Root, "trash");
        for (var attempt = 0; attempt < 100 && Directory.Exists(trash) && Directory.EnumerateFileSystemEntries(trash).Any(); attempt++)
        {
            Thread.Sleep(100);
        }
    }

    private static string FindBusyboxTar()
    {
        if (Environment.GetEnvironmentVariable("ANCHOR_BUSYBOX_TAR") is { Length: > 0 } tar)
        {
            return File.Exists(tar) ? tar : throw new InvalidOperationException($"ANCHOR_BUSYBOX_TAR={tar} does not exist (make it with scripts/busybox-rootfs.sh)");
        }

        // test.sh's default location, from the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "out", "busybox-rootfs.tar");
            if (File.Exists(Path.Combine(dir.FullName, "Anchor.slnx")) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("set ANCHOR_BUSYBOX_TAR to a busybox rootfs tarball (scripts/busybox-rootfs.sh OUTPUT.tar)");
    }

    /// <summary>12 lowercase hex digits: a short container or image ID.</summary>
    [GeneratedRegex("^[0-9a-f]{12}$")]
    public static partial Regex ShortId();

    /// <summary>The host's own hostname.</summary>
    public static string HostHostname() => File.ReadAllText("/proc/sys/kernel/hostname").Trim();
}
