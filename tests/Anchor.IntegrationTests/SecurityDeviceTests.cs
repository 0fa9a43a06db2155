using System.Formats.Tar;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// Device confinement (docs/architecture.md, "Confinement: devices"): docker's device allowlist on every
/// container, --device, --device-cgroup-rule and --privileged. A node can be made (CAP_MKNOD, and the
/// allowlist grants mknod of anything); opening one the allowlist does not name is refused at open(2)
/// with EPERM, as runc's device cgroup refuses it. Every attack here works without the allowlist.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityDeviceTests(AnchorFixture anchor)
{
    private const string Refused = "Operation not permitted";

    [Fact]
    public void Default_HostLoopDevice_MknodWorks_ReadIsRefused()
    {
        var result = anchor.Sh("mknod /tmp/l b 7 0 && echo made && head -c 1 /tmp/l");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Equal("made", result.Out);
        Assert.Contains("/tmp/l: " + Refused, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_KernelLog_WriteIsRefused()
    {
        // /dev/kmsg needs no capability to be written to: only the allowlist stops the line reaching the host's log.
        var result = anchor.Sh("mknod /tmp/k c 1 11 && echo made && echo anchor-device-test > /tmp/k");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Equal("made", result.Out);
        Assert.Contains(Refused, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c 4 1")] // /dev/tty1, a host VT
    [InlineData("c 10 237")] // /dev/loop-control
    [InlineData("c 10 229")] // /dev/fuse (docker denies it explicitly)
    [InlineData("c 10 183")] // /dev/hwrng
    [InlineData("c 7 0")] // /dev/vcs, the host console's screen
    public void Default_OtherHostDevices_OpenIsRefused(string node)
    {
        var result = anchor.Sh($"mknod /tmp/n {node} && echo made && exec 3< /tmp/n && echo opened");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Equal("made", result.Out);
        Assert.Contains(Refused, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_BlockNodeShippedInTheImage_ReadableMode_IsRefusedToAnUnprivilegedUser()
    {
        var tar = Path.Combine(anchor.TempDir, "devnode-image.tar");
        WriteImageWithBlockNode(tar);
        var import = anchor.Anchor(["import", tar, "devnode:1"], timeout: TimeSpan.FromSeconds(60));
        try
        {
            Assert.True(import.ExitCode == 0, import.ToString());
            var result = anchor.Anchor(["run", "--rm", "-u", "1000:1000", "--cap-drop", "ALL", "devnode:1", "sh", "-c", "ls -l /disk; head -c 1 /disk"]);
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.StartsWith("brw-rw-rw-", result.Out, StringComparison.Ordinal); // the node is there, readable by anyone
            Assert.Contains("/disk: " + Refused, result.Err, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rmi", "devnode:1"]);
        }
    }

    [Fact]
    public void Default_TheDefaultDevicesWork()
    {
        var output = anchor.ShOk(
            "echo x > /dev/null && echo null=ok; head -c 3 /dev/zero | wc -c; head -c 5 /dev/urandom | wc -c; head -c 5 /dev/random | wc -c; " +
            "echo x > /dev/full 2>/dev/null || echo full=refused-by-the-device; exec 3<> /dev/ptmx && echo ptmx=ok");
        Assert.Equal(["null=ok", "3", "5", "5", "full=refused-by-the-device", "ptmx=ok"], output.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public void Default_Tty_DevTtyAndPtsWork()
    {
        var result = anchor.Anchor(["run", "--rm", "-t", AnchorFixture.Image, "sh", "-c", "echo via-tty > /dev/tty && tty && ls /dev/pts"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("via-tty", lines[0]);
        Assert.Matches("^/dev/pts/[0-9]+$", lines[1]);
    }

    [Fact]
    public void Default_Exec_IsConfinedToo()
    {
        var name = Detached.UniqueName("devexec");
        try
        {
            anchor.ShDetached(name, Detached.Forever);
            var result = anchor.Anchor(["exec", name, "sh", "-c", "mknod /tmp/l b 7 0 && head -c 1 /tmp/l"]);
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains(Refused, result.Err, StringComparison.Ordinal);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Build_RunStep_IsConfined()
    {
        var dir = Path.Combine(anchor.TempDir, "ctx-dev-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM busybox\nRUN mknod /tmp/l b 7 0 && head -c 1 /tmp/l\n");
        var build = anchor.Anchor(["build", "-t", "devbuild:1", dir], timeout: TimeSpan.FromSeconds(120));
        anchor.Anchor(["rmi", "devbuild:1"]);
        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains(Refused, build.Stdout + build.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_HostNode_AppearsWithItsNumbers_AndOpens()
    {
        var output = anchor.ShOk("ls -l /dev/loop-control; exec 3< /dev/loop-control && echo opened", "--device", "/dev/loop-control");
        var lines = output.Split('\n');
        Assert.Matches(@"^crw-------\s+1 root\s+root\s+10,\s+237 .* /dev/loop-control$", lines[0]);
        Assert.Equal("opened", lines[1]);
    }

    [Fact]
    public void Device_ElsewhereWithPermissions_ReadOpensWriteIsRefused()
    {
        var result = anchor.Sh("ls -l /dev/lc; exec 3< /dev/lc && echo read-opened; exec 4> /dev/lc && echo write-opened", "--device", "/dev/loop-control:/dev/lc:r");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("10, 237", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("read-opened", result.Out, StringComparison.Ordinal);
        Assert.Contains(Refused, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_Missing_Fails125WithDockersMessage()
    {
        var result = anchor.RunRm(["--device", "/dev/no-such-device-anchor"], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("error gathering device information while adding custom device \"/dev/no-such-device-anchor\": no such file or directory", result.Err, StringComparison.Ordinal);
        anchor.AssertNoLeftovers();
    }

    [Theory]
    [InlineData("/dev/loop-control:/dev/lc:rx", "bad mode specified: rx")]
    [InlineData("/dev/loop-control:dev/lc", "dev/lc is not an absolute path")]
    [InlineData("/a:/b:r:w", "bad format for path: /a:/b:r:w")]
    public void Device_BadSpecification_Fails125(string value, string message)
    {
        var result = anchor.RunRm(["--device", value], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DeviceCgroupRule_AllowsTheNode_ForTheAccessGiven()
    {
        var result = anchor.Sh("mknod /tmp/lc c 10 237 && exec 3< /tmp/lc && echo read-opened && exec 4> /tmp/lc && echo write-opened", "--device-cgroup-rule", "c 10:237 r");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Equal("read-opened", result.Out);
        Assert.Contains(Refused, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c 10:237")]
    [InlineData("x 1:3 r")]
    public void DeviceCgroupRule_BadFormat_Fails125(string rule)
    {
        var result = anchor.RunRm(["--device-cgroup-rule", rule], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains($"invalid argument \"{rule}\" for \"--device-cgroup-rule\" flag: invalid device cgroup format '{rule}'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Privileged_HostCapabilities_HostDevices_NothingMasked_SysWritable()
    {
        var hostBounding = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))["CapBnd:".Length..].Trim();
        var output = anchor.ShOk(
            "grep -E '^Cap(Eff|Bnd)' /proc/self/status; ls /dev/loop-control; exec 3< /dev/loop-control && echo opened; " +
            "mount | grep '^sysfs'; grep -cE ' /proc/(kcore|keys|timer_list|sys|bus|acpi) ' /proc/self/mountinfo || true",
            "--privileged", "--cap-drop", "ALL");
        var lines = output.Split('\n');
        Assert.Equal("CapEff:\t" + hostBounding, lines[0]);
        Assert.Equal("CapBnd:\t" + hostBounding, lines[1]);
        Assert.Equal("/dev/loop-control", lines[2]);
        Assert.Equal("opened", lines[3]);
        Assert.Matches(@"^sysfs on /sys type sysfs \(rw,", lines[4]);
        Assert.Equal("0", lines[5]);
    }

    [Fact]
    public void Privileged_HostBlockDevice_IsThereAndOpens()
    {
        var block = Directory.GetFiles("/dev", "loop*").Where(p => char.IsDigit(p[^1])).Order(StringComparer.Ordinal).FirstOrDefault();
        if (block is null)
        {
            return; // no loop device on this host
        }

        var output = anchor.ShOk($"ls -l {block}; exec 3< {block} && echo opened", "--privileged");
        Assert.StartsWith("b", output, StringComparison.Ordinal);
        Assert.EndsWith("opened", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ShowsPrivilegedDevicesAndRules_AsDocker()
    {
        var plain = Detached.UniqueName("devplain");
        var custom = Detached.UniqueName("devcustom");
        try
        {
            anchor.Ok("create", "--name", plain, AnchorFixture.Image, "true");
            anchor.Ok("create", "--name", custom, "--privileged", "--device", "/dev/loop-control:/dev/lc:r", "--device-cgroup-rule", "c 1:3 rwm", AnchorFixture.Image, "true");

            var plainHost = HostConfig(plain);
            Assert.False(plainHost.GetProperty("Privileged").GetBoolean());
            Assert.Equal("[]", plainHost.GetProperty("Devices").GetRawText());
            Assert.Equal(JsonValueKind.Null, plainHost.GetProperty("DeviceCgroupRules").ValueKind);
            Assert.Equal(JsonValueKind.Array, plainHost.GetProperty("MaskedPaths").ValueKind);

            var customHost = HostConfig(custom);
            Assert.True(customHost.GetProperty("Privileged").GetBoolean());
            var device = Assert.Single(customHost.GetProperty("Devices").EnumerateArray());
            Assert.Equal("/dev/loop-control", device.GetProperty("PathOnHost").GetString());
            Assert.Equal("/dev/lc", device.GetProperty("PathInContainer").GetString());
            Assert.Equal("r", device.GetProperty("CgroupPermissions").GetString());
            Assert.Equal(["c 1:3 rwm"], customHost.GetProperty("DeviceCgroupRules").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(JsonValueKind.Null, customHost.GetProperty("MaskedPaths").ValueKind);
            Assert.Equal(JsonValueKind.Null, customHost.GetProperty("ReadonlyPaths").ValueKind);
        }
        finally
        {
            anchor.ForceRemove(plain, custom);
        }
    }

    private JsonElement HostConfig(string name)
    {
        var inspect = anchor.Ok("inspect", name);
        return JsonDocument.Parse(inspect.Stdout).RootElement[0].GetProperty("HostConfig").Clone();
    }

    /// <summary>The busybox rootfs plus /disk: a block node for the host's first loop device, mode 0666.</summary>
    private void WriteImageWithBlockNode(string path)
    {
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Ustar);
        using (var input = File.OpenRead(anchor.BusyboxTar))
        using (var reader = new TarReader(input))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                writer.WriteEntry(entry);
            }
        }

        writer.WriteEntry(new UstarTarEntry(TarEntryType.BlockDevice, "disk") { DeviceMajor = 7, DeviceMinor = 0, Mode = (UnixFileMode)0x1B6 });
    }
}
