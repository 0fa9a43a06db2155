using System.Formats.Tar;
using System.IO.Compression;

namespace Anchor.IntegrationTests;

/// <summary>
/// What a RUN step makes reaches the image as docker's layers keep it (issue 14, found 4): a hard
/// link stays a link (one inode, two names) in the containers of the built image; a file's
/// security.capability (binary, so written byte for byte) still grants its capability; an ADDed
/// archive keeps its owners whatever --chown says (COPY takes them).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildLayerFidelityTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void HardLinkMadeByRun_IsOneInodeInTheImage()
    {
        const string tag = "fidelity-hardlink:1";
        var build = anchor.Anchor(["build", "-q", "-t", tag, "-"], "FROM busybox\nRUN mkdir /d && echo linked > /d/a && ln /d/a /d/b && ln /d/a /c\n", BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", tag, "sh", "-c", "stat -c '%i %h' /d/a /d/b /c; cat /d/b"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.Stdout.Trim().Split('\n');
            Assert.Equal(4, lines.Length);
            Assert.Equal(lines[0], lines[1]);
            Assert.Equal(lines[0], lines[2]);
            Assert.EndsWith(" 3", lines[0], StringComparison.Ordinal);
            Assert.Equal("linked", lines[3]);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void FileCapability_IsKeptInTheLayer_AndGrantsItToANonRootUser()
    {
        const string tag = "fidelity-cap:1";
        var dir = Path.Combine(anchor.TempDir, "cap-ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.Copy("/bin/busybox", Path.Combine(dir, "grep")); // busybox runs the applet its name says
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM busybox\nCOPY grep /capbin/grep\n");

        // struct vfs_cap_data revision 2 (capabilities(7)): effective flag, permitted = CAP_NET_RAW (13).
        var set = ProcessRunner.Run("python3", ["-c", "import os,sys; os.setxattr(sys.argv[1], 'security.capability', bytes([1,0,0,2, 0,0x20,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0]))", Path.Combine(dir, "grep")], (byte[]?)null, BuildTimeout);
        Assert.True(set.ExitCode == 0, set.ToString());
        var build = anchor.Anchor(["build", "-q", "-t", tag, dir], timeout: BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", "-u", "1000:1000", tag, "/capbin/grep", "CapEff", "/proc/self/status"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("CapEff:\t0000000000002000", run.Stdout.Trim());
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void AddOfAnArchiveWithChown_KeepsTheArchivesOwners()
    {
        const string tag = "fidelity-addchown:1";
        var dir = Path.Combine(anchor.TempDir, "addchown-ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        using (var file = File.Create(Path.Combine(dir, "pkg.tar.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "pkg/") { Uid = 1234, Gid = 5678, Mode = (UnixFileMode)0x1ED });
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "pkg/file") { Uid = 1234, Gid = 5678, Mode = (UnixFileMode)0x1A4 };
            entry.DataStream = new MemoryStream("inside"u8.ToArray());
            tar.WriteEntry(entry);
        }

        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM busybox\nADD --chown=2000:3000 pkg.tar.gz /opt/\nCOPY --chown=2000:3000 Dockerfile /opt/copied\n");
        var build = anchor.Anchor(["build", "-q", "-t", tag, dir], timeout: BuildTimeout);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", tag, "stat", "-c", "%u:%g %n", "/opt/pkg", "/opt/pkg/file", "/opt/copied"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(["1234:5678 /opt/pkg", "1234:5678 /opt/pkg/file", "2000:3000 /opt/copied"], run.Stdout.Trim().Split('\n'));
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }
}
