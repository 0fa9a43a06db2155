using System.Formats.Tar;
using System.Text;
using Anchor.Images.Layers;
using Anchor.Linux.Interop;
using Anchor.Oci;

namespace Anchor.Images.Tests.Layers;

public sealed class LayerApplierTests : IDisposable
{
    private readonly TempDir _tmp = new();

    private string Target => _tmp.Sub("fs");

    public void Dispose() => _tmp.Dispose();

    private LayerApplyResult Apply(byte[] tar, LayerApplyMode mode = LayerApplyMode.Overlay) =>
        LayerApplier.Apply(new MemoryStream(tar), Target, mode);

    [Fact]
    public void Files_directories_modes_owners_and_times_are_restored()
    {
        var tar = new TarBuilder()
            .Dir("etc/", (UnixFileMode)0x1ED)
            .File("etc/hosts", "127.0.0.1 localhost\n", (UnixFileMode)0x1A4, uid: 1000, gid: 1001)
            .Dir("bin/")
            .File("bin/su", "x", (UnixFileMode)0x9ED /* 04755 */)
            .File("bin/wall", "y", (UnixFileMode)0x5ED /* 02755 */, gid: 5)
            .Dir("tmp/", (UnixFileMode)0x3FF /* 01777 */)
            .File("deep/er/file", "z")
            .Build();

        var result = Apply(tar);

        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(Target, "etc/hosts")));
        var hosts = FileStat.Lstat(Path.Combine(Target, "etc/hosts"));
        Assert.Equal(1000u, hosts.st_uid);
        Assert.Equal(1001u, hosts.st_gid);
        Assert.Equal(0x1A4u, hosts.st_mode & 0xFFF);
        Assert.Equal(TarBuilder.Time.ToUnixTimeSeconds(), hosts.st_mtim.tv_sec);
        Assert.Equal(0x9EDu, FileStat.Perm(Path.Combine(Target, "bin/su")));
        Assert.Equal(0x5EDu, FileStat.Perm(Path.Combine(Target, "bin/wall")));
        Assert.Equal(5u, FileStat.Lstat(Path.Combine(Target, "bin/wall")).st_gid);
        Assert.Equal(0x3FFu, FileStat.Perm(Path.Combine(Target, "tmp")));
        Assert.Equal(LibC.S_IFDIR, FileStat.Type(Path.Combine(Target, "deep/er")));
        // Directory times are set after their children were created.
        Assert.Equal(TarBuilder.Time.ToUnixTimeSeconds(), FileStat.Lstat(Path.Combine(Target, "etc")).st_mtim.tv_sec);
        Assert.Equal(Digest.Sha256(tar), result.DiffId);
        Assert.Equal(Compression.None, result.Compression);
        Assert.Equal(20 + 1 + 1 + 1, result.Size);
    }

    [Fact]
    public void Symlinks_are_stored_verbatim_absolute_and_relative()
    {
        var tar = new TarBuilder()
            .File("bin/busybox", "elf")
            .Symlink("bin/sh", "/bin/busybox")
            .Symlink("bin/ls", "busybox")
            .Symlink("dangling", "/does/not/exist")
            .Build();

        Apply(tar);

        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(Target, "bin/sh")).LinkTarget);
        Assert.Equal("busybox", new FileInfo(Path.Combine(Target, "bin/ls")).LinkTarget);
        Assert.Equal("/does/not/exist", new FileInfo(Path.Combine(Target, "dangling")).LinkTarget);
        Assert.Equal(LibC.S_IFLNK, FileStat.Type(Path.Combine(Target, "bin/sh")));
    }

    [Fact]
    public void Hardlinks_share_the_inode()
    {
        var tar = new TarBuilder().File("bin/a", "same").HardLink("usr/bin/b", "bin/a").HardLink("/bin/c", "/bin/a").Build();

        Apply(tar);

        var a = FileStat.Lstat(Path.Combine(Target, "bin/a"));
        Assert.Equal(a.st_ino, FileStat.Lstat(Path.Combine(Target, "usr/bin/b")).st_ino);
        Assert.Equal(a.st_ino, FileStat.Lstat(Path.Combine(Target, "bin/c")).st_ino);
        Assert.Equal(3ul, a.st_nlink);
    }

    [Fact]
    public void Device_nodes_and_fifos_are_created()
    {
        var tar = new TarBuilder().CharDevice("dev/null", 1, 3).Fifo("run/pipe").Build();

        Apply(tar);

        var dev = FileStat.Lstat(Path.Combine(Target, "dev/null"));
        Assert.Equal(LibC.S_IFCHR, dev.st_mode & LibC.S_IFMT);
        Assert.Equal(1u, LibC.major(dev.st_rdev));
        Assert.Equal(3u, LibC.minor(dev.st_rdev));
        Assert.Equal(0x1B6u, dev.st_mode & 0xFFF);
        Assert.Equal(LibC.S_IFIFO, FileStat.Type(Path.Combine(Target, "run/pipe")));
    }

    [Fact]
    public void Dot_dot_entry_is_rejected_and_nothing_is_written_outside()
    {
        var outside = _tmp.Sub("escaped");
        var tar = new TarBuilder().File("ok", "1").File("../escaped", "pwned").Build();

        var e = Assert.Throws<ImageException>(() => Apply(tar));

        Assert.Contains("../escaped", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
    }

    [Fact]
    public void Dot_dot_inside_the_root_is_cleaned_not_rejected()
    {
        Apply(new TarBuilder().File("a/../b", "1").Build());

        Assert.True(File.Exists(Path.Combine(Target, "b")));
    }

    [Fact]
    public void Writing_through_a_symlinked_parent_is_rejected_and_the_host_is_untouched()
    {
        var host = _tmp.Sub("hostdir");
        Directory.CreateDirectory(host);
        var tar = new TarBuilder().Symlink("evil", host).File("evil/x", "pwned").Build();

        var e = Assert.Throws<ImageException>(() => Apply(tar));

        Assert.Contains("evil/x", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(host));
    }

    [Fact]
    public void A_file_replacing_a_symlink_does_not_write_through_it()
    {
        var host = _tmp.Sub("hostfile");
        File.WriteAllText(host, "original");
        var tar = new TarBuilder().Symlink("f", host).File("f", "new").Build();

        Apply(tar);

        Assert.Equal("original", File.ReadAllText(host));
        Assert.Equal(LibC.S_IFREG, FileStat.Type(Path.Combine(Target, "f")));
    }

    [Fact]
    public void Hardlink_to_a_target_outside_is_rejected()
    {
        var tar = new TarBuilder().HardLink("passwd", "../../../../etc/passwd").Build();

        Assert.Throws<ImageException>(() => Apply(tar));
        Assert.False(File.Exists(Path.Combine(Target, "passwd")));
    }

    [Fact]
    public void Absolute_entry_names_land_inside_the_target()
    {
        var name = "/" + _tmp.Sub("abs-escape").TrimStart('/');
        Apply(new TarBuilder().File(name, "inside").Build());

        Assert.False(File.Exists(name));
        Assert.Equal("inside", File.ReadAllText(Path.Combine(Target, name.TrimStart('/'))));
    }

    [Fact]
    public void Existing_entries_are_replaced()
    {
        var tar = new TarBuilder()
            .Dir("x/").File("x/child", "c")
            .File("x", "now a file")
            .File("y", "first").File("y", "second")
            .File("z", "file").Dir("z/")
            .Build();

        Apply(tar);

        Assert.Equal("now a file", File.ReadAllText(Path.Combine(Target, "x")));
        Assert.Equal("second", File.ReadAllText(Path.Combine(Target, "y")));
        Assert.Equal(LibC.S_IFDIR, FileStat.Type(Path.Combine(Target, "z")));
    }

    [Fact]
    public void Whiteout_becomes_an_overlay_whiteout_device()
    {
        var tar = new TarBuilder().Dir("etc/").File("etc/.wh.motd", "").Build();

        Apply(tar);

        var wh = FileStat.Lstat(Path.Combine(Target, "etc/motd"));
        Assert.Equal(LibC.S_IFCHR, wh.st_mode & LibC.S_IFMT);
        Assert.Equal(0ul, wh.st_rdev);
        Assert.False(File.Exists(Path.Combine(Target, "etc/.wh.motd")));
    }

    [Fact]
    public void Opaque_marker_sets_the_overlay_xattr()
    {
        var tar = new TarBuilder().Dir("var/cache/").File("var/cache/.wh..wh..opq", "").File("var/cache/new", "n").Build();

        Apply(tar);

        Assert.Equal("y"u8.ToArray(), FileStat.Xattr(Path.Combine(Target, "var/cache"), "trusted.overlay.opaque"));
        Assert.False(File.Exists(Path.Combine(Target, "var/cache/.wh..wh..opq")));
        Assert.True(File.Exists(Path.Combine(Target, "var/cache/new")));
    }

    [Fact]
    public void Apply_mode_whiteouts_delete_lower_content()
    {
        Apply(new TarBuilder().File("a/keep", "k").File("a/gone", "g").File("b/old1", "o").Dir("b/sub/").File("b/sub/old2", "o").Build(), LayerApplyMode.Apply);

        Apply(new TarBuilder().File("a/.wh.gone", "").File("b/new", "n").File("b/.wh..wh..opq", "").Build(), LayerApplyMode.Apply);

        Assert.True(File.Exists(Path.Combine(Target, "a/keep")));
        Assert.False(File.Exists(Path.Combine(Target, "a/gone")));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Combine(Target, "b")).Select(Path.GetFileName));
    }

    [Fact]
    public void Text_xattrs_from_pax_headers_are_set()
    {
        var pax = new Dictionary<string, string> { ["SCHILY.xattr.user.comment"] = "hello" };
        Apply(new TarBuilder().File("f", "x", pax: pax).Build());

        Assert.Equal("hello"u8.ToArray(), FileStat.Xattr(Path.Combine(Target, "f"), "user.comment"));
    }

    [Fact]
    public void Binary_xattrs_round_trip_byte_for_byte()
    {
        // A VFS_CAP_REVISION_2 security.capability granting cap_net_bind_service (linux/capability.h):
        // not valid UTF-8, so TarReader's string would corrupt it. (No 0x0A byte: TarReader splits PAX
        // records at newlines instead of using their length, and rejects such a header outright.)
        byte[] cap = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] binary = [0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28, 0x3D, 0x20];
        var ms = new MemoryStream();
        var records = RawTar.PaxRecord("SCHILY.xattr.security.capability", cap)
            .Concat(RawTar.PaxRecord("SCHILY.xattr.user.bin", binary)).ToArray();
        RawTar.Write(ms, "PaxHeaders/ping", 'x', records);
        RawTar.Write(ms, "bin/ping", '0', "elf"u8.ToArray(), mode: 0x1ED);
        RawTar.End(ms);

        Apply(ms.ToArray());

        Assert.Equal(binary, FileStat.Xattr(Path.Combine(Target, "bin/ping"), "user.bin"));
        Assert.Equal(cap, FileStat.Xattr(Path.Combine(Target, "bin/ping"), "security.capability"));
    }

    [Fact]
    public void Gzip_input_is_detected_and_diffid_is_of_the_uncompressed_tar()
    {
        var tar = new TarBuilder().File("hello", "world").Build();

        var result = Apply(TarBuilder.Gzip(tar));

        Assert.Equal(Compression.Gzip, result.Compression);
        Assert.Equal(Digest.Sha256(tar), result.DiffId);
        Assert.Equal("world", File.ReadAllText(Path.Combine(Target, "hello")));
    }

    [Fact]
    public void Zstd_input_is_detected()
    {
        var tar = new TarBuilder().File("hello", "zstd").Build();

        var result = Apply(TarBuilder.Zstd(tar));

        Assert.Equal(Compression.Zstd, result.Compression);
        Assert.Equal(Digest.Sha256(tar), result.DiffId);
        Assert.Equal("zstd", File.ReadAllText(Path.Combine(Target, "hello")));
    }

    [Fact]
    public void Diffid_covers_padding_after_the_end_of_archive()
    {
        var tar = new TarBuilder().File("a", "1").Build().Concat(new byte[8192]).ToArray();

        Assert.Equal(Digest.Sha256(tar), Apply(tar).DiffId);
    }

    [Fact]
    public void Truncated_tar_throws_a_clear_error()
    {
        var tar = new TarBuilder().File("big", new string('x', 5000)).Build();

        var e = Assert.Throws<ImageException>(() => Apply(tar[..2000]));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_gzip_throws_a_clear_error()
    {
        var gz = TarBuilder.Gzip(new TarBuilder().File("big", new string('x', 50000)).Build());

        Assert.Throws<ImageException>(() => Apply(gz[..(gz.Length / 2)]));
    }

    [Fact]
    public void Non_tar_input_throws_a_clear_error()
    {
        var junk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not a tar archive at all. ", 40)));

        var e = Assert.Throws<ImageException>(() => Apply(junk));

        Assert.Contains("not a tar archive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gnu_long_names_work()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-name-that-is-long", 8)) + "/file";
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Gnu, leaveOpen: true))
        {
            w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, longName) { DataStream = new MemoryStream("g"u8.ToArray()) });
        }

        Apply(ms.ToArray());

        Assert.Equal("g", File.ReadAllText(Path.Combine(Target, longName)));
    }
}
