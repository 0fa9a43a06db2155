using System.Text.Json;
using Anchor.Engine.Devices;
using Anchor.Engine.Inspect;
using Anchor.Engine.Run;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Tests;

public sealed class DeviceOptionTests
{
    [Theory]
    [InlineData("/dev/loop-control", "/dev/loop-control", "/dev/loop-control", "rwm")]
    [InlineData("/dev//net/tun/", "/dev/net/tun", "/dev/net/tun", "rwm")]
    [InlineData("/dev/null:/dev/mynull", "/dev/null", "/dev/mynull", "rwm")]
    [InlineData("/dev/null:/x/../dev/mynull/", "/dev/null", "/dev/mynull", "rwm")]
    [InlineData("/dev/null:r", "/dev/null", "/dev/null", "r")]
    [InlineData("/dev/null:mw", "/dev/null", "/dev/null", "mw")]
    [InlineData("/dev/null:/dev/mynull:rw", "/dev/null", "/dev/mynull", "rw")]
    [InlineData("host-relative:/dev/x", "host-relative", "/dev/x", "rwm")]
    public void DeviceMapping_Parse_AsDockersCli(string value, string host, string container, string permissions)
    {
        var mapping = DeviceMappingParser.Parse(value);
        Assert.Equal(new DeviceMapping { PathOnHost = host, PathInContainer = container, CgroupPermissions = permissions }, mapping);
    }

    [Theory]
    [InlineData("/a:/b:rw:x", "bad format for path: /a:/b:rw:x")]
    [InlineData(":/dev/x", "bad format for path: :/dev/x")]
    [InlineData("/dev/a:/dev/b:rx", "bad mode specified: rx")]
    [InlineData("/dev/a:/dev/b:rr", "bad mode specified: rr")]
    [InlineData("/dev/a:dev/b", "dev/b is not an absolute path")]
    [InlineData("/dev/a:rr", "rr is not an absolute path")]
    [InlineData("dev/a", "dev/a is not an absolute path")]
    public void DeviceMapping_Parse_RefusesWithDockersWords(string value, string message)
    {
        var error = Assert.Throws<EngineException>(() => DeviceMappingParser.Parse(value));
        Assert.Equal(message, error.Message);
        Assert.Equal(ExitCodes.EngineError, error.ExitCode);
    }

    [Theory]
    [InlineData("c 1:3 rwm", "c", 1L, 3L, "rwm")]
    [InlineData("a *:* rwm", "a", null, null, "rwm")]
    [InlineData("b 7:* r", "b", 7L, null, "r")]
    [InlineData("c *:11 mw", "c", null, 11L, "mw")]
    public void DeviceCgroupRule_ToSpec_WildcardsAreLeftOut(string rule, string type, long? major, long? minor, string access)
    {
        Assert.Equal(rule, DeviceCgroupRuleParser.Validate(rule));
        Assert.Equal(new SpecDeviceCgroup { Allow = true, Type = type, Major = major, Minor = minor, Access = access }, DeviceCgroupRuleParser.ToSpec(rule));
    }

    [Theory]
    [InlineData("c 1:3")]
    [InlineData("x 1:3 r")]
    [InlineData("c 1:3 rwmw")]
    [InlineData("c1:3 r")]
    [InlineData("c 1:3  r")]
    [InlineData("c -1:3 r")]
    public void DeviceCgroupRule_Validate_RefusesWithPflagsWords(string rule)
    {
        var error = Assert.Throws<EngineException>(() => DeviceCgroupRuleParser.Validate(rule));
        Assert.Equal($"invalid argument \"{rule}\" for \"--device-cgroup-rule\" flag: invalid device cgroup format '{rule}'", error.Message);
    }

    [Fact]
    public void DeviceCgroupRule_ToSpec_NumberPastU32_IsTheDaemonsError()
    {
        var error = Assert.Throws<EngineException>(() => DeviceCgroupRuleParser.ToSpec("c 99999999999:1 r"));
        Assert.Equal("invalid major value in device cgroup rule format: 'c 99999999999:1 r'", error.Message);
    }

    [Fact]
    public void Rules_Default_AreDockersList()
    {
        var rules = ContainerDevices.Rules(new RunOptions { Image = "x" });

        Assert.Equal(8, rules.Count);
        Assert.Equal(new SpecDeviceCgroup { Allow = false, Access = "rwm" }, rules[0]);
        Assert.Equal(
            ["c 1:5", "c 1:3", "c 1:9", "c 1:8", "c 5:0", "c 5:1", "c 10:229"],
            rules.Skip(1).Select(r => $"{r.Type} {r.Major}:{r.Minor}"));
        Assert.False(rules[^1].Allow);
        Assert.Equal(8, SpecFactory.Resources(new RunOptions { Image = "x" }).Devices!.Count);
    }

    [Fact]
    public void Rules_DeviceAndCgroupRule_FollowDockersDefaults_InOrder()
    {
        var options = new RunOptions
        {
            Image = "x",
            Devices = [DeviceMappingParser.Parse("/dev/null:/dev/mynull:r")],
            DeviceCgroupRules = ["c 10:237 rw"],
        };

        var rules = ContainerDevices.Rules(options);

        Assert.Equal(10, rules.Count);
        Assert.Equal(new SpecDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "r" }, rules[8]);
        Assert.Equal(new SpecDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 237, Access = "rw" }, rules[9]);
    }

    [Fact]
    public void Rules_Privileged_AllowEverything_IgnoringCgroupRules()
    {
        var rules = ContainerDevices.Rules(new RunOptions { Image = "x", Privileged = true, DeviceCgroupRules = ["c 1:3 r"] });
        Assert.Equal([new SpecDeviceCgroup { Allow = true, Access = "rwm" }], rules);
    }

    [Fact]
    public void Nodes_Device_KeepsTheHostNodesNumbersModeAndOwner()
    {
        var nodes = ContainerDevices.Nodes(new RunOptions { Image = "x", Devices = [DeviceMappingParser.Parse("/dev/null:/dev/mynull:r")] });

        var node = Assert.Single(nodes);
        Assert.Equal(new SpecDevice { Path = "/dev/mynull", Type = "c", Major = 1, Minor = 3, FileMode = 0x1B6, Uid = 0, Gid = 0 }, node);
    }

    [Fact]
    public void Nodes_Privileged_AreTheHostsDev_PlusDevicesPlacedElsewhere()
    {
        var nodes = ContainerDevices.Nodes(new RunOptions
        {
            Image = "x",
            Privileged = true,
            Devices = [DeviceMappingParser.Parse("/dev/null"), DeviceMappingParser.Parse("/dev/zero:/opt/zero")],
        });

        Assert.Single(nodes, n => n.Path == "/dev/null");
        Assert.Contains(nodes, n => n is { Path: "/opt/zero", Major: 1, Minor: 5 });
        Assert.DoesNotContain(nodes, n => n.Path.StartsWith("/dev/pts/", StringComparison.Ordinal) || n.Path == "/dev/console");
    }

    [Fact]
    public void FromPath_Missing_IsDockersError()
    {
        var error = Assert.Throws<EngineException>(() => HostDevices.FromPath("/dev/no-such-device-x", "/dev/x", "rwm"));
        Assert.Equal("error gathering device information while adding custom device \"/dev/no-such-device-x\": no such file or directory", error.Message);
    }

    [Fact]
    public void FromPath_NotADevice_IsDockersError()
    {
        var error = Assert.Throws<EngineException>(() => HostDevices.FromPath("/etc/hostname", "/dev/x", "rwm"));
        Assert.Equal("error gathering device information while adding custom device \"/etc/hostname\": not a device node", error.Message);
        var empty = Directory.CreateTempSubdirectory("anchor-devs-");
        try
        {
            Assert.Throws<EngineException>(() => HostDevices.FromPath(empty.FullName, "/dev/x", "rwm"));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void FromPath_DirectoryAndSymlink_GiveEveryNodeBelow_AtTheSamePlace()
    {
        if (LibC.geteuid() != 0)
        {
            return; // mknod(2) of a character device needs CAP_MKNOD
        }

        var dir = Directory.CreateTempSubdirectory("anchor-devs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "snd"));
            Assert.Equal(0, LibC.mknod(Path.Combine(dir, "snd", "b"), LibC.S_IFCHR | 0x180, LibC.makedev(1, 7)));
            Assert.Equal(0, LibC.mknod(Path.Combine(dir, "a"), LibC.S_IFBLK | 0x1A4, LibC.makedev(7, 3)));
            Assert.Equal(0, LibC.mknod(Path.Combine(dir, "fifo"), LibC.S_IFIFO | 0x1A4, 0));
            File.WriteAllText(Path.Combine(dir, "plain"), "");
            File.CreateSymbolicLink(Path.Combine(dir, "link"), "/dev/null");
            File.CreateSymbolicLink(Path.Combine(dir + "-link"), dir);

            var (devices, rules) = HostDevices.FromPath(dir + "-link", "/dev/mine", "rw");

            Assert.Equal(["/dev/mine/a", "/dev/mine/fifo", "/dev/mine/snd/b"], devices.Select(d => d.Path));
            Assert.Equal(new SpecDevice { Path = "/dev/mine/a", Type = "b", Major = 7, Minor = 3, FileMode = 0x1A4, Uid = 0, Gid = 0 }, devices[0]);
            Assert.Equal(0x180u, devices[2].FileMode);
            Assert.Equal(["b 7:3 rw", "c 1:7 rw"], rules.Select(r => $"{r.Type} {r.Major}:{r.Minor} {r.Access}"));

            var all = HostDevices.All(dir);
            Assert.Equal([Path.Combine(dir, "a"), Path.Combine(dir, "snd", "b")], all.Select(d => d.Path));
        }
        finally
        {
            File.Delete(dir + "-link");
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SpecFactory_Privileged_HostCapabilities_NothingMasked_SysWritable()
    {
        var spec = SpecFactory.Create(new SpecFactory.Inputs(
            new RunOptions { Image = "x", Command = ["true"], Privileged = true, CapDrop = ["ALL"] },
            null, ["/l"], new ContainerFiles("/nonexistent/c"), "h", new SpecUser(), "/root", "anchor/c"));

        var bounding = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))["CapBnd:".Length..].Trim();
        Assert.Equal(Convert.ToUInt64(bounding, 16), Anchor.Runtime.Security.Capabilities.ToMask(spec.Process.Capabilities!.Effective));
        Assert.Empty(spec.Linux.MaskedPaths);
        Assert.Empty(spec.Linux.ReadonlyPaths);
        Assert.DoesNotContain("ro", spec.Mounts.Single(m => m.Destination == "/sys").Options);
        Assert.Contains(spec.Linux.Devices, d => d.Path == "/dev/null");
        Assert.Equal([new SpecDeviceCgroup { Allow = true, Access = "rwm" }], spec.Linux.Resources!.Devices);
    }

    [Fact]
    public void SpecFactory_Default_MasksAndNoExtraNodes()
    {
        var spec = SpecFactory.Create(new SpecFactory.Inputs(
            new RunOptions { Image = "x", Command = ["true"] }, null, ["/l"], new ContainerFiles("/nonexistent/c"), "h", new SpecUser(), "/root", "anchor/c"));

        Assert.NotEmpty(spec.Linux.MaskedPaths);
        Assert.Contains("ro", spec.Mounts.Single(m => m.Destination == "/sys").Options);
        Assert.Empty(spec.Linux.Devices);
        Assert.Equal(8, spec.Linux.Resources!.Devices!.Count);
    }

    [Fact]
    public void Inspect_DevicesAndRules_AsDockerShowsThem()
    {
        JsonElement HostConfig(HostConfigData h) =>
            JsonDocument.Parse(ContainerInspectWriter.ToJson(new ContainerInspectData { Id = "x", Name = "/x", HostConfig = h })).RootElement.GetProperty("HostConfig");

        var none = HostConfig(new HostConfigData());
        Assert.Equal(JsonValueKind.Array, none.GetProperty("Devices").ValueKind);
        Assert.Equal(0, none.GetProperty("Devices").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("DeviceCgroupRules").ValueKind);
        Assert.False(none.GetProperty("Privileged").GetBoolean());

        var some = HostConfig(new HostConfigData
        {
            Privileged = true,
            Devices = [new DeviceMapping { PathOnHost = "/dev/loop-control", PathInContainer = "/dev/lc", CgroupPermissions = "r" }],
            DeviceCgroupRules = ["c 1:3 rwm"],
        });
        Assert.True(some.GetProperty("Privileged").GetBoolean());
        Assert.Equal("""[{"PathOnHost":"/dev/loop-control","PathInContainer":"/dev/lc","CgroupPermissions":"r"}]""", some.GetProperty("Devices").GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));
        Assert.Equal("c 1:3 rwm", some.GetProperty("DeviceCgroupRules")[0].GetString());
    }
}
