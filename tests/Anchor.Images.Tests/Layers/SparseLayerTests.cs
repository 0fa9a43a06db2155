using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Anchor.Images.Layers;
using Anchor.Oci;

namespace Anchor.Images.Tests.Layers;

/// <summary>
/// GNU sparse files in layers: old GNU 'S' (with extension headers and a GNU long name), PAX 0.0,
/// 0.1 and 1.0 land as the real file at the real name, with the real size and content, and with
/// holes on disk. The fixtures were made by GNU tar 1.34 from the files Fixtures/make-sparse-sources.py
/// writes (<c>tar --format=gnu --sparse</c>; <c>tar --format=posix --sparse --sparse-version=V
/// --pax-option=delete=atime,delete=ctime</c>; all with <c>--owner=0 --group=0 --numeric-owner
/// --mtime=2024-01-01 --sort=name</c>), then gzip -9 -n.
/// </summary>
public sealed class SparseLayerTests : IDisposable
{
    private const string LongName = "a-directory-with-a-rather-long-name-to-need-gnu-long-names-or-pax-path-records-in-the-archive/sparse-file-with-a-long-name";

    private readonly TempDir _tmp = new();

    private string Target => _tmp.Sub("fs");

    public void Dispose() => _tmp.Dispose();

    /// <summary>Size, sha256 (of the files make-sparse-sources.py writes) and the most blocks GNU tar's map needs.</summary>
    public static TheoryData<string> Fixtures => new() { "sparse-gnu", "sparse-pax0.0", "sparse-pax0.1", "sparse-pax1.0" };

    private static readonly (string Name, long Size, string Sha256, long MaxAllocated)[] Expected =
    [
        ("sparse/f", 8 << 20, "49b0fbbe4aa1e0238006f3ddff9d1e4952d9a7a490e6d0d6291c26dab7fa29b6", 64 << 10),
        ("sparse/many", 2 << 20, "97edb745c334f44c7d96164aece9009bad0482ff843fc55367b57c2291e435d0", 256 << 10),
        ("sparse/tail", (1 << 20) + 3, "4dc884e97cc5a452b547422551eeea0381a7f09622b32c036b89ae6407c8e3a1", 64 << 10),
        (LongName, 1 << 20, "c6a243177010d40de7130dc684e559a7a3e88dbead25ed0d894aaf5835245e23", 64 << 10),
    ];

    private static byte[] Fixture(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Layers", "Fixtures", name + ".tar.gz")), CompressionMode.Decompress);
        var tar = new MemoryStream();
        gz.CopyTo(tar);
        return tar.ToArray();
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private static long Allocated(string path) => FileStat.Lstat(path).st_blocks * 512;

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Apply_GnuSparseFixture_RealFilesWithHoles(string fixture)
    {
        var tar = Fixture(fixture);

        var result = LayerApplier.Apply(new MemoryStream(tar), Target);

        foreach (var (name, size, sha256, maxAllocated) in Expected)
        {
            var path = Path.Combine(Target, name);
            Assert.True(File.Exists(path), $"{name} is missing");
            Assert.Equal(size, new FileInfo(path).Length);
            Assert.Equal(sha256, Sha256(path));
            Assert.True(Allocated(path) <= maxAllocated, $"{name}: {Allocated(path)} bytes allocated for {size}");
        }

        // The entries after the sparse ones are where they belong: the framing held.
        Assert.Equal("plain after sparse\n", File.ReadAllText(Path.Combine(Target, "plain")));
        Assert.Empty(Directory.EnumerateDirectories(Target, "GNUSparseFile*", SearchOption.AllDirectories));
        Assert.Equal(["f", "many", "tail"], Directory.GetFileSystemEntries(Path.Combine(Target, "sparse")).Select(Path.GetFileName).Order());
        Assert.Equal(0x1A4u, FileStat.Perm(Path.Combine(Target, "sparse/f")));

        // The DiffID is still the digest of the archive as it is, not as it was rewritten on the way.
        Assert.Equal(Digest.Sha256(tar), result.DiffId);
        Assert.Equal(Expected.Sum(e => e.Size) + 19, result.Size);
    }

    [Theory]
    [InlineData("--format=gnu")]
    [InlineData("--format=posix", "--sparse-version=0.0")]
    [InlineData("--format=posix", "--sparse-version=0.1")]
    [InlineData("--format=posix", "--sparse-version=1.0")]
    [InlineData("--format=posix")] // GNU tar's default sparse version for PAX
    public void Apply_SparseFileFromHostTar_100MWithDataAt50M(params string[] format)
    {
        // truncate -s 100M f; printf data | dd of=f bs=1 seek=50M conv=notrunc
        var source = _tmp.Sub("src");
        Directory.CreateDirectory(source);
        var original = Path.Combine(source, "f");
        using (var f = new FileStream(original, FileMode.CreateNew))
        {
            f.SetLength(100 << 20);
            f.Position = 50 << 20;
            f.Write("data"u8);
        }

        var tarPath = _tmp.Sub("layer.tar");
        RunTar(["--sparse", .. format, "-cf", tarPath, "-C", source, "f"]);

        LayerApplier.Apply(File.OpenRead(tarPath), Target);

        var extracted = Path.Combine(Target, "f");
        Assert.Equal(100L << 20, new FileInfo(extracted).Length);
        Assert.Equal(Sha256(original), Sha256(extracted));
        Assert.True(Allocated(extracted) < 1 << 20, $"{Allocated(extracted)} bytes allocated for a 100 MiB file with 4 bytes of data");
        Assert.Equal(["f"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName));
    }

    private static void RunTar(string[] args)
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

    /// <summary>A PAX 1.0 sparse entry: the map "count\noffset\nlength\n..." padded to a block, then the data.</summary>
    private static byte[] Pax10(string realName, long realSize, (long Offset, string Data)[] regions, string placeholder = "GNUSparseFile.0/f")
    {
        var map = $"{regions.Length}\n" + string.Concat(regions.Select(r => $"{r.Offset}\n{r.Data.Length}\n"));
        var content = map.PadRight((map.Length + 511) / 512 * 512, '\0') + string.Concat(regions.Select(r => r.Data));
        return new TarBuilder()
            .Symlink("evil", "/")
            .File(placeholder, content, pax: new Dictionary<string, string>
            {
                ["GNU.sparse.major"] = "1",
                ["GNU.sparse.minor"] = "0",
                ["GNU.sparse.name"] = realName,
                ["GNU.sparse.realsize"] = realSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .Build();
    }

    [Fact]
    public void Apply_Pax10_RealNameAndSize()
    {
        LayerApplier.Apply(new MemoryStream(Pax10("/opt/app/data.bin", 10_000, [(1000, "abc"), (9998, "yz")])), Target);

        var path = Path.Combine(Target, "opt/app/data.bin");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(10_000, bytes.Length);
        Assert.Equal("abc"u8.ToArray(), bytes[1000..1003]);
        Assert.Equal("yz"u8.ToArray(), bytes[9998..]);
        Assert.Equal(10_000 - 5, bytes.Count(b => b == 0));
        Assert.False(Directory.Exists(Path.Combine(Target, "GNUSparseFile.0")));
    }

    [Theory]
    [InlineData("../../escape", "path escapes the layer root")]
    [InlineData("evil/etc/passwd", "parent \"evil\" is a symbolic link")]
    public void Apply_Pax10_RealNameTakesThePathChecks(string realName, string error)
    {
        var e = Assert.Throws<ImageException>(() => LayerApplier.Apply(new MemoryStream(Pax10(realName, 10, [(0, "x")])), Target));
        Assert.Contains(error, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_tmp.Path, "escape")));
        Assert.False(File.Exists(Path.Combine(Target, "GNUSparseFile.0", "f")));
    }

    [Fact]
    public void Apply_Pax10_MapThatDoesNotFitItsData_IsRefused()
    {
        // A region past the real size.
        var e = Assert.Throws<ImageException>(() => LayerApplier.Apply(new MemoryStream(Pax10("f", 4, [(0, "abcdef")])), Target));
        Assert.Equal("invalid tar entry \"f\": its sparse map does not match its data", e.Message);

        // A region of 6 bytes the archive does not hold.
        e = Assert.Throws<ImageException>(() => LayerApplier.Apply(new MemoryStream(Pax10Raw(100, "1\n50\n6\n")), _tmp.Sub("fs2")));
        Assert.Equal("invalid tar entry \"f\": its sparse map does not match its data", e.Message);

        // Not a map at all.
        e = Assert.Throws<ImageException>(() => LayerApplier.Apply(new MemoryStream(Pax10Raw(100, "1\n-5\n6\n")), _tmp.Sub("fs3")));
        Assert.Equal("invalid tar entry \"f\": its sparse map does not match its data", e.Message);
    }

    private static byte[] Pax10Raw(long realSize, string map) => new TarBuilder()
        .File("GNUSparseFile.0/f", map.PadRight(512, '\0'), pax: new Dictionary<string, string>
        {
            ["GNU.sparse.major"] = "1",
            ["GNU.sparse.minor"] = "0",
            ["GNU.sparse.name"] = "f",
            ["GNU.sparse.realsize"] = realSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        .Build();

    [Fact]
    public void Apply_OldGnuSparse_RealSizeSmallerThanItsMap_IsRefused()
    {
        var tar = Fixture("sparse-gnu");

        // The first 'S' header (sparse/f, after the directory's block): real size 4 MiB, below its region at 4 MiB.
        var header = tar.AsSpan(512, 512);
        Assert.Equal((byte)'S', header[156]);
        Octal(header.Slice(483, 12), 4 << 20);
        Checksum(header);

        var e = Assert.Throws<ImageException>(() => LayerApplier.Apply(new MemoryStream(tar), Target));
        Assert.Contains("\"sparse/f\": its sparse map does not match its data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_OldGnuSparse_TruncatedExtensionHeader_IsTruncated()
    {
        var tar = Fixture("sparse-gnu");

        // sparse/many's header is at 5120 with one extension block: cut the archive inside it.
        Assert.Equal((byte)'S', tar[5120 + 156]);
        var e = Assert.Throws<ImageException>(() => LayerApplier.Apply(new MemoryStream(tar[..(5120 + 512 + 100)]), Target));
        Assert.Equal("invalid layer: archive is truncated", e.Message);
    }

    private static void Octal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        for (var i = 0; i < digits.Length; i++)
        {
            field[i] = (byte)digits[i];
        }

        field[^1] = 0;
    }

    private static void Checksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Octal(header.Slice(148, 7), sum);
    }
}
