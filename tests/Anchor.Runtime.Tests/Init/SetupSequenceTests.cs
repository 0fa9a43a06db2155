using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Tests.Init;

/// <summary>The order of the filesystem part of the setup sequence, against a recording fake: no root, no mounts.</summary>
public sealed class SetupSequenceTests
{
    private sealed class Recorder : ISetupSteps
    {
        public List<string> Steps { get; } = [];

        public void MakePrivate() => Steps.Add("private");

        public void MountRoot(string root, SpecMount? rootMount) => Steps.Add("root " + (rootMount?.Type ?? "bind"));

        public void Mount(string root, SpecMount mount) => Steps.Add("mount " + mount.Destination);

        public void MountCgroup(string root, SpecMount mount, string? cgroupsPath) => Steps.Add($"cgroup {mount.Destination} {cgroupsPath}");

        public void CreateDevices(string root, IReadOnlyList<SpecDevice> devices) => Steps.Add("devices " + devices.Count);

        public void SetHostname(string hostname) => Steps.Add("hostname " + hostname);

        public void SetDomainname(string domainname) => Steps.Add("domainname " + domainname);

        public void WriteSysctl(string key, string value) => Steps.Add($"sysctl {key}={value}");

        public void PivotRoot(string root) => Steps.Add("pivot " + root);

        public void MountProc(SpecMount mount) => Steps.Add("proc " + mount.Destination);

        public void MakeReadonly(string path) => Steps.Add("readonly " + path);

        public void Mask(string path) => Steps.Add("mask " + path);

        public void MakeRootReadOnly() => Steps.Add("root readonly");
    }

    private static Spec Spec(bool readOnly = false, string? hostname = "h", bool uts = true) => new()
    {
        Process = new SpecProcess { Args = ["sh"], Env = [], Cwd = "/", User = new SpecUser() },
        Root = new SpecRoot { Path = "/r", Readonly = readOnly },
        Hostname = hostname,
        Mounts =
        [
            new() { Destination = "/", Type = "overlay", Source = "overlay", Options = [] },
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = [] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = [] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["ro"] },
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["ro"] },
            new() { Destination = "/etc/hosts", Type = "bind", Source = "/x/hosts", Options = ["rbind"] },
        ],
        Linux = new SpecLinux
        {
            Namespaces = uts ? [new() { Type = "uts" }, new() { Type = "mount" }] : [new() { Type = "mount" }],
            CgroupsPath = "/anchor/c1",
            MaskedPaths = ["/proc/kcore"],
            ReadonlyPaths = ["/proc/sys"],
        },
    };

    private static List<string> Run(Spec spec, bool deferProc, Action? cgroupReady = null)
    {
        var recorder = new Recorder();
        SetupSequence.Filesystem(spec, recorder, deferProc, cgroupReady: cgroupReady);
        SetupSequence.Pivot(spec, recorder);
        SetupSequence.KernelInterfaces(spec, recorder, procDeferred: deferProc);
        return recorder.Steps;
    }

    [Fact]
    public void DirectSpawn_MountsProcAfterPivot_ThenReadonlyPaths_ThenMasks()
    {
        Assert.Equal(
        [
            "private", "root overlay", "mount /dev", "mount /sys", "cgroup /sys/fs/cgroup /anchor/c1", "mount /etc/hosts",
            "devices 0", "hostname h", "pivot /r", "proc /proc", "readonly /proc/sys", "mask /proc/kcore",
        ], Run(Spec(), deferProc: true));
    }

    [Fact]
    public void DomainnameAndSysctls_AfterTheHostname_BeforePivot()
    {
        var spec = Spec() with
        {
            Domainname = "example.org",
            Linux = Spec().Linux with { Sysctl = new Dictionary<string, string> { ["net.core.somaxconn"] = "99" } },
        };
        var steps = Run(spec, deferProc: true);
        var pivot = steps.IndexOf("pivot /r");
        Assert.Equal(["hostname h", "domainname example.org", "sysctl net.core.somaxconn=99", "pivot /r"], steps[(pivot - 3)..(pivot + 1)]);
        // Without a uts namespace of its own the host's names stay; sysctls are still written.
        var shared = Run(spec with { Linux = spec.Linux with { Namespaces = [new() { Type = "mount" }] } }, deferProc: true);
        Assert.DoesNotContain("domainname example.org", shared);
        Assert.Contains("sysctl net.core.somaxconn=99", shared);
    }

    [Fact]
    public void InterfaceSysctls_AreLeftForAfterTheNetworkIsAttached()
    {
        var sysctls = new Dictionary<string, string>
        {
            ["net.ipv4.conf.all.rp_filter"] = "1",
            ["net.ipv4.conf.eth0.rp_filter"] = "2",
            ["net.ipv6.conf.eth0.disable_ipv6"] = "1",
            ["net.ipv4.neigh.eth0.gc_stale_time"] = "30",
            ["net.ipv4.conf.default.arp_ignore"] = "1",
        };
        var steps = Run(Spec() with { Linux = Spec().Linux with { Sysctl = sysctls } }, deferProc: true);
        Assert.Equal(["sysctl net.ipv4.conf.all.rp_filter=1", "sysctl net.ipv4.conf.default.arp_ignore=1"], steps.Where(s => s.StartsWith("sysctl ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.True(Sysctls.IsInterfaceKey("net.ipv4.conf.eth0.rp_filter"));
        Assert.True(Sysctls.IsInterfaceKey("net.ipv6.neigh.eth0.base_reachable_time_ms"));
        Assert.False(Sysctls.IsInterfaceKey("net.ipv4.conf.all.forwarding"));
        Assert.False(Sysctls.IsInterfaceKey("net.ipv4.ip_forward"));
        Assert.False(Sysctls.IsInterfaceKey("net.core.somaxconn"));
    }

    [Fact]
    public void InitStage_MountsProcInOrder_BeforePivot()
    {
        var steps = Run(Spec(), deferProc: false);
        Assert.Equal("mount /proc", steps[2]);
        Assert.DoesNotContain("proc /proc", steps);
        Assert.True(steps.IndexOf("pivot /r") < steps.IndexOf("readonly /proc/sys"));
    }

    [Fact]
    public void ReadonlyRoot_IsTheLastStep()
    {
        var steps = Run(Spec(readOnly: true), deferProc: true);
        Assert.Equal("root readonly", steps[^1]);
    }

    [Fact]
    public void CgroupMount_WaitsForTheCgroup_AndComesAfterSysfs()
    {
        var recorder = new Recorder();
        SetupSequence.Filesystem(Spec(), recorder, deferProc: true, cgroupReady: () => recorder.Steps.Add("cgroup ready"));
        var steps = recorder.Steps;
        Assert.Equal(steps.IndexOf("cgroup ready") + 1, steps.IndexOf("cgroup /sys/fs/cgroup /anchor/c1"));
        Assert.True(steps.IndexOf("mount /sys") < steps.IndexOf("cgroup ready"));
    }

    [Fact]
    public void Hostname_OnlyInTheContainersOwnUtsNamespace()
    {
        // --network host shares the host's uts namespace: sethostname would rename the host.
        var steps = Run(Spec(uts: false), deferProc: true);
        Assert.DoesNotContain(steps, s => s.StartsWith("hostname", StringComparison.Ordinal));
    }

    [Fact]
    public void Devices_ComeAfterEveryMount_AndBeforePivot()
    {
        var steps = Run(Spec(), deferProc: true);
        Assert.Equal(steps.IndexOf("mount /etc/hosts") + 1, steps.IndexOf("devices 0"));
        Assert.Equal(steps.IndexOf("devices 0") + 2, steps.IndexOf("pivot /r"));
    }
}
