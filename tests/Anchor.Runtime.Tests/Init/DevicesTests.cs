using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Tests.Init;

public sealed unsafe class DevicesTests
{
    private static Spec SpecWith(params SpecMount[] mounts) => new()
    {
        Process = new SpecProcess { Args = ["true"] },
        Root = new SpecRoot { Path = "/r" },
        Mounts = [new SpecMount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs" }, .. mounts],
        Linux = new SpecLinux(),
    };

    [Fact]
    public void NeedsSetup_OwnTmpfs_Yes_BindOverIt_No()
    {
        Assert.True(Devices.NeedsSetup(SpecWith()));
        Assert.True(Devices.NeedsSetup(SpecWith(new SpecMount { Destination = "/dev/shm", Type = "bind", Source = "/x", Options = ["rbind"] })));
        Assert.False(Devices.NeedsSetup(SpecWith(new SpecMount { Destination = "/dev", Type = "bind", Source = "/dev", Options = ["rbind", "rprivate"] })));
        Assert.False(Devices.NeedsSetup(SpecWith(new SpecMount { Destination = "/x/../dev/", Type = "bind", Source = "/dev", Options = ["bind"] })));
    }

    [Fact]
    public void Create_SpecNodes_WithModeOwnerAndParents_DefaultsAndLinks()
    {
        if (LibC.geteuid() != 0)
        {
            return; // mknod(2) of a device needs CAP_MKNOD
        }

        var root = Directory.CreateTempSubdirectory("anchor-devs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "dev"));
            Devices.Create(root,
            [
                new SpecDevice { Path = "/dev/net/tun", Type = "c", Major = 10, Minor = 200, FileMode = 0x180, Uid = 1000, Gid = 1001 }, // 0600
                new SpecDevice { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = 0x1B0 }, // 0660: the spec's replaces the default
                new SpecDevice { Path = "/dev/ptmx", Type = "c", Major = 5, Minor = 2, FileMode = 0x1B6 },
                new SpecDevice { Path = "/dev/disk0", Type = "b", Major = 7, Minor = 0 },
            ]);

            var tun = Stat(Path.Combine(root, "dev/net/tun"));
            Assert.Equal(LibC.S_IFCHR | 0x180u, tun.st_mode);
            Assert.Equal((10u, 200u), (LibC.major(tun.st_rdev), LibC.minor(tun.st_rdev)));
            Assert.Equal((1000u, 1001u), (tun.st_uid, tun.st_gid));
            Assert.Equal(LibC.S_IFDIR | 0x1EDu, Stat(Path.Combine(root, "dev/net")).st_mode);
            Assert.Equal(LibC.S_IFCHR | 0x1B0u, Stat(Path.Combine(root, "dev/null")).st_mode);
            Assert.Equal(LibC.S_IFBLK | 0x1B6u, Stat(Path.Combine(root, "dev/disk0")).st_mode); // no fileMode: 0666
            Assert.Equal(LibC.S_IFCHR | 0x1B6u, Stat(Path.Combine(root, "dev/zero")).st_mode);
            Assert.Equal("pts/ptmx", new FileInfo(Path.Combine(root, "dev/ptmx")).LinkTarget);
            Assert.Equal("/proc/self/fd", new FileInfo(Path.Combine(root, "dev/fd")).LinkTarget);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static LibC.StatBuf Stat(string path)
    {
        LibC.StatBuf st;
        Assert.Equal(0, LibC.lstat(path, &st));
        return st;
    }
}
