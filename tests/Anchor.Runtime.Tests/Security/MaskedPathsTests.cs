using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

/// <summary>
/// The real mounts run on a throwaway thread that first unshares its mount namespace (unshare(2)
/// CLONE_NEWNS, allowed per thread), so nothing is visible to the host or the other test threads;
/// the namespace goes away with the thread.
/// </summary>
public sealed class MaskedPathsTests
{
    [Fact]
    public void Defaults_AreDockers()
    {
        Assert.Equal(12, MaskedPaths.Default.Count);
        Assert.Contains("/proc/kcore", MaskedPaths.Default);
        Assert.Contains("/sys/devices/virtual/powercap", MaskedPaths.Default);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], MaskedPaths.DefaultReadonly);
    }

    [Fact]
    public void Apply_MasksFilesAndDirectories_AndMakesPathsReadonly()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        var root = Directory.CreateTempSubdirectory("anchor-mask-").FullName;
        try
        {
            var file = Path.Combine(root, "secret");
            var dir = Path.Combine(root, "dir");
            var ro = Path.Combine(root, "ro");
            File.WriteAllText(file, "secret");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "inner"), "x");
            Directory.CreateDirectory(ro);
            File.WriteAllText(Path.Combine(ro, "data"), "x");

            var (fileText, dirEntries, writeError, writeToMaskedDir) = ThreadStatus.OnThrowawayThread(() =>
            {
                EnterPrivateMountNamespace();
                MaskedPaths.Apply([file, dir, Path.Combine(root, "missing")], [ro, Path.Combine(root, "missing-ro")]);
                return (
                    File.ReadAllText(file),
                    Directory.GetFileSystemEntries(dir).Length,
                    Record.Exception(() => File.WriteAllText(Path.Combine(ro, "data"), "changed")),
                    Record.Exception(() => File.WriteAllText(Path.Combine(dir, "new"), "y")));
            });

            Assert.Equal("", fileText);
            Assert.Equal(0, dirEntries);
            Assert.IsAssignableFrom<IOException>(writeError);
            Assert.IsAssignableFrom<IOException>(writeToMaskedDir);

            // Outside the thread's namespace nothing changed.
            Assert.Equal("secret", File.ReadAllText(file));
            File.WriteAllText(Path.Combine(ro, "data"), "changed");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Apply_DockerDefaults_OnHostProc()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        Sys.Check(LibC.statfs("/proc/sys", out var host), "statfs", "/proc/sys");
        var (kcoreLength, sysWrite, flags) = ThreadStatus.OnThrowawayThread(() =>
        {
            EnterPrivateMountNamespace();
            MaskedPaths.Apply(MaskedPaths.Default, MaskedPaths.DefaultReadonly);
            Sys.Check(LibC.statfs("/proc/sys", out var fs), "statfs", "/proc/sys");
            return (
                File.Exists("/proc/kcore") ? File.ReadAllBytes("/proc/kcore").Length : 0,
                // Writes back the current value: harmless to the host even if the remount had not happened.
                Record.Exception(() => File.WriteAllText("/proc/sys/kernel/domainname", File.ReadAllText("/proc/sys/kernel/domainname"))),
                fs.f_flags);
        });

        Assert.Equal(0, kcoreLength);
        Assert.IsAssignableFrom<IOException>(sysWrite);
        // Read-only now, and the nosuid/nodev/noexec flags the host's /proc had are kept.
        Assert.Equal(LibC.ST_RDONLY | (host.f_flags & 0xE), flags & 0xF);
    }

    private static void EnterPrivateMountNamespace()
    {
        Sys.Unshare(LibC.CLONE_NEWNS);
        Sys.Mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE);
    }
}
