using System.Diagnostics;
using System.Security.Cryptography;

namespace Anchor.IntegrationTests;

/// <summary>
/// <c>anchor import</c> of a rootfs whose tar holds a GNU sparse file (made by GNU tar in each of
/// its sparse formats), and <c>ADD</c> of such an archive in a build: the container sees the real
/// file, at its real name, size and content.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecuritySparseFileTests(AnchorFixture anchor)
{
    private const long Size = 100L << 20;

    [Theory]
    [InlineData("gnu", "--format=gnu")]
    [InlineData("pax00", "--format=posix", "--sparse-version=0.0")]
    [InlineData("pax01", "--format=posix", "--sparse-version=0.1")]
    [InlineData("pax10", "--format=posix", "--sparse-version=1.0")]
    public void Import_RootfsWithASparseFile_TheContainerSeesTheRealFile(string tag, params string[] format)
    {
        var dir = Path.Combine(anchor.TempDir, "sparse-" + Guid.NewGuid().ToString("N")[..8]);
        var rootfs = Path.Combine(dir, "rootfs");
        var image = "sparse-test:" + tag;
        Directory.CreateDirectory(rootfs);
        try
        {
            Tar("-xf", anchor.BusyboxTar, "-C", rootfs);

            // truncate -s 100M f; printf data | dd of=f bs=1 seek=50M conv=notrunc
            var original = Path.Combine(rootfs, "f");
            using (var f = new FileStream(original, FileMode.CreateNew))
            {
                f.SetLength(Size);
                f.Position = 50L << 20;
                f.Write("data"u8);
            }

            string sha256;
            using (var f = File.OpenRead(original))
            {
                sha256 = Convert.ToHexStringLower(SHA256.HashData(f));
            }

            var tar = Path.Combine(dir, "rootfs.tar");
            Tar(["--sparse", .. format, "-cf", tar, "-C", rootfs, "."]);
            Assert.True(new FileInfo(tar).Length < 10L << 20, "GNU tar did not store f as a sparse file");

            var import = anchor.Anchor(["import", tar, image], timeout: TimeSpan.FromSeconds(60));
            Assert.True(import.ExitCode == 0, import.ToString());

            var run = anchor.Anchor(["run", "--rm", "--network", "none", image, "sh", "-c", "stat -c '%s %b' /f; sha256sum /f; ls /"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.Out.Split('\n');
            var stat = lines[0].Split(' ');
            Assert.Equal(Size.ToString(System.Globalization.CultureInfo.InvariantCulture), stat[0]);
            Assert.True(long.Parse(stat[1], System.Globalization.CultureInfo.InvariantCulture) < 2048, $"/f has {stat[1]} blocks allocated: its holes were written");
            Assert.Equal($"{sha256}  /f", lines[1]);
            Assert.DoesNotContain(lines.Skip(2), l => l.StartsWith("GNUSparseFile", StringComparison.Ordinal));
        }
        finally
        {
            anchor.Anchor(["rmi", image]);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("gnu", "--format=gnu")]
    [InlineData("pax10", "--format=posix", "--sparse-version=1.0")]
    public void Build_AddOfASparseArchive_TheImageHasTheRealFile(string tag, params string[] format)
    {
        var dir = Path.Combine(anchor.TempDir, "sparse-add-" + Guid.NewGuid().ToString("N")[..8]);
        var source = Path.Combine(dir, "source");
        var context = Path.Combine(dir, "context");
        var image = "sparse-add:" + tag;
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(context);
        try
        {
            using (var f = new FileStream(Path.Combine(source, "f"), FileMode.CreateNew))
            {
                f.SetLength(4 << 20);
                f.Position = 2 << 20;
                f.Write("data"u8);
            }

            Tar(["--sparse", .. format, "-cf", Path.Combine(context, "sparse.tar"), "-C", source, "f"]);
            File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nADD sparse.tar /x/\n");

            var build = anchor.Anchor(["build", "-t", image, context], timeout: TimeSpan.FromSeconds(120));
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", "--network", "none", image, "sh", "-c", "stat -c %s /x/f; tail -c +2097153 /x/f | head -c 4; echo; ls /x"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("4194304\ndata\nf", run.Out);
        }
        finally
        {
            anchor.Anchor(["rmi", image]);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Tar(params string[] args)
    {
        var start = new ProcessStartInfo("tar") { RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var tar = Process.Start(start)!;
        var err = tar.StandardError.ReadToEnd();
        tar.WaitForExit();
        Assert.True(tar.ExitCode == 0, $"tar {string.Join(' ', args)}: {err}");
    }
}
