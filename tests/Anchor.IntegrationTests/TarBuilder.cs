using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>Builds test tarballs (ustar) in memory: hostile entries, docker-archives.</summary>
public sealed class TarBuilder : IDisposable
{
    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public TarBuilder() => _writer = new TarWriter(_stream, TarEntryFormat.Ustar, leaveOpen: true);

    public TarBuilder File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = mode,
            DataStream = new MemoryStream(content),
            ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        _writer.WriteEntry(entry);
        return this;
    }

    public TarBuilder File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public TarBuilder Directory(string name)
    {
        _writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        _writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 });
        return this;
    }

    public TarBuilder HardLink(string name, string target)
    {
        _writer.WriteEntry(new UstarTarEntry(TarEntryType.HardLink, name) { LinkName = target, Mode = (UnixFileMode)0b110_100_100 });
        return this;
    }

    /// <summary>Copies every entry of another tarball (e.g. the busybox rootfs).</summary>
    public TarBuilder CopyFrom(string tarPath)
    {
        using var input = System.IO.File.OpenRead(tarPath);
        using var reader = new TarReader(input);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            _writer.WriteEntry(entry);
        }

        return this;
    }

    public byte[] ToArray()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
