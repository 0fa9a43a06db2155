using System.Formats.Tar;
using Anchor.Build.Layers;

namespace Anchor.Build.Tests;

/// <summary>Layer tarballs are reproducible: the same entries give the same bytes (and DiffID), as docker's.</summary>
public sealed class LayerTarWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-layertar-").FullName;

    [Fact]
    public void SameEntries_SameBytes_UstarWithWholeSeconds()
    {
        var mtime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        byte[] Write(string name)
        {
            var path = Path.Combine(_dir, name);
            using (var writer = new LayerTarWriter(path))
            {
                writer.AddDirectory("srv", 0x1ED, 0, 0, mtime);
                writer.AddFile("srv/file", new MemoryStream("data"u8.ToArray()), 0x1A4, 0, 0, mtime);
                writer.AddSymlink("srv/link", "file", 0, 0, mtime);
            }

            return File.ReadAllBytes(path);
        }

        var first = Write("a.tar");
        Assert.Equal(first, Write("b.tar"));
        using var reader = new TarReader(new MemoryStream(first));
        var entry = reader.GetNextEntry()!;
        Assert.Equal(TarEntryFormat.Ustar, entry.Format);
        Assert.Equal("srv/", entry.Name);
        Assert.Equal(1_700_000_000, entry.ModificationTime.ToUnixTimeSeconds());
    }

    [Fact]
    public void LongName_FallsBackToPax()
    {
        var path = Path.Combine(_dir, "long.tar");
        var name = new string('n', 150);
        using (var writer = new LayerTarWriter(path))
        {
            writer.AddEmptyFile(name);
        }

        using var reader = new TarReader(File.OpenRead(path));
        var entry = reader.GetNextEntry()!;
        Assert.Equal(TarEntryFormat.Pax, entry.Format);
        Assert.Equal(name, entry.Name);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
