using System.Security.Cryptography;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// Everything of one private store that can outlive a command: mounts, container cgroups,
/// processes (monitors, containers, children not yet exec'd), record-less container directories,
/// host veths and nft chains. The IDs of the store's containers are collected as the test goes
/// (<see cref="Observe"/>): every anchor command makes the container's directory before its
/// cgroup, so a directory listing after each command sees every ID that can have a cgroup.
/// </summary>
public sealed class SecurityLeftovers(AnchorFixture anchor)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    private string ContainersDir => Path.Combine(anchor.Root, "containers");

    /// <summary>Remembers every container directory there is now.</summary>
    public void Observe()
    {
        if (!Directory.Exists(ContainersDir))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(ContainersDir))
        {
            var name = Path.GetFileName(dir);
            if (Detached.FullId().IsMatch(name))
            {
                _ids.Add(name);
            }
        }
    }

    public void Observe(string id)
    {
        if (Detached.FullId().IsMatch(id))
        {
            _ids.Add(id);
        }
    }

    public int Seen => _ids.Count;

    /// <summary>Directories under ROOT/containers without container.json.</summary>
    public List<string> RecordlessDirectories() =>
        Directory.Exists(ContainersDir)
            ? Directory.EnumerateDirectories(ContainersDir).Where(d => !File.Exists(Path.Combine(d, "container.json"))).Select(d => Path.GetFileName(d)!).ToList()
            : [];

    /// <summary>Container directories of any kind (after the final rm -f and prune there must be none).</summary>
    public List<string> ContainerDirectories() =>
        Directory.Exists(ContainersDir) ? Directory.EnumerateDirectories(ContainersDir).Select(d => Path.GetFileName(d)!).ToList() : [];

    /// <summary>Mount table lines (our mount namespace, the host's) naming the store.</summary>
    public List<string> Mounts() => File.ReadAllLines("/proc/mounts").Where(l => l.Contains(anchor.TempDir, StringComparison.Ordinal)).ToList();

    /// <summary>anchor/ID cgroups of the store's containers, in every hierarchy.</summary>
    public List<string> Cgroups() =>
        AnchorFixture.CgroupChildren().Where(d => _ids.Contains(Path.GetFileName(d))).ToList();

    /// <summary>
    /// Processes of the store, described: those whose command line names the store (monitors, and
    /// a spawned container child that has not exec'd yet: it still has the CLI's argv) and those in
    /// a cgroup of the store's containers. The trash reaper is the store's janitor, not a leftover.
    /// </summary>
    public List<string> Processes() =>
        LiveProcesses.Where((_, argv, cgroup) =>
                (argv.Any(a => a.Contains(anchor.Root, StringComparison.Ordinal)) && !argv.Contains("reap-trash"))
                || _ids.Any(id => cgroup.Contains("/anchor/" + id, StringComparison.Ordinal)))
            .Select(p => $"pid {p.Pid} [{string.Join(' ', p.Argv)}] cwd={Link($"/proc/{p.Pid}/cwd")} wchan={Read($"/proc/{p.Pid}/wchan")}")
            .ToList();

    /// <summary>Whether the described process is the monitor of <paramref name="id"/> or runs in its cgroup.</summary>
    public bool Belongs(string process, string id)
    {
        if (process.Contains(" monitor ", StringComparison.Ordinal) && process.Contains(id, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return File.ReadAllText($"/proc/{process.Split(' ')[1]}/cgroup").Contains("/anchor/" + id, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true; // gone meanwhile
        }
    }

    /// <summary>Whether a process description is a container child blocked at the spawn gate (RUNROOT/gates/ID).</summary>
    public bool AtGate(string process) => process.Contains("cwd=" + Path.Combine(anchor.RunRoot, "gates"), StringComparison.Ordinal);

    /// <summary>Host veths carrying the store's tag (av + tag + 6 hex).</summary>
    public List<string> Veths() => HostNet.AnchorVeths().Where(v => v.Length >= 6 && v[2..6] == StoreTag).ToList();

    /// <summary>Lines of Anchor's nft table that name the store's DNAT chains (pub- + tag).</summary>
    public List<string> NftRules() =>
        HostNet.NftTable().Split('\n').Where(l => l.Contains("pub-" + StoreTag, StringComparison.Ordinal)).Select(l => l.Trim()).ToList();

    /// <summary>The 4 hex digits the engine derives from the store root (NetworkIds.StoreTag).</summary>
    public string StoreTag =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("anchor-store:" + Path.GetFullPath(anchor.Root))))[..4];

    /// <summary>SIGKILLs the store's leftover processes (the test's own cleanup, after its assertions are taken).</summary>
    public void KillProcesses()
    {
        foreach (var line in Processes())
        {
            var pid = int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            ProcessRunner.Run("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }

    private static string Link(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "?";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
