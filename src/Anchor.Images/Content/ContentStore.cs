using System.Security.Cryptography;
using Anchor.Linux;
using Anchor.Oci;

namespace Anchor.Images.Content;

/// <summary>
/// Blobs addressed by digest under <c>root/blobs/sha256/&lt;hex&gt;</c>. A write lands in
/// <c>root/ingest/</c> under a name of its owner (<see cref="TempName"/>), is fsynced, verified against the expected digest and size, then
/// renamed into place (containerd content/local Writer.Commit), so a blob under its final name is
/// always complete and correct, and concurrent writers of the same blob both succeed.
/// </summary>
public sealed class ContentStore
{
    private const uint BlobMode = 0x124; // 0444: committed blobs are immutable.

    public ContentStore(string root)
    {
        Root = root;
        BlobDir = Path.Combine(root, "blobs", "sha256");
        IngestDir = Path.Combine(root, "ingest");
    }

    public string Root { get; }

    internal string BlobDir { get; }

    internal string IngestDir { get; }

    /// <summary>Stores <paramref name="content"/>; throws <see cref="ImageException"/> and keeps nothing when it does not match.</summary>
    public Digest Write(Stream content, Digest? expected = null, long? expectedSize = null) => Write(content, expected, expectedSize, null);

    /// <summary>As above, also copying every byte read to <paramref name="tee"/> (a pull unpacks the layer while it downloads).</summary>
    public Digest Write(Stream content, Digest? expected, long? expectedSize, Stream? tee)
    {
        ArgumentNullException.ThrowIfNull(content);
        var staged = Stage(content, tee);
        try
        {
            if (expectedSize is { } size && size != staged.Size)
            {
                throw new ImageException($"size mismatch: expected {size} bytes for {expected?.ToString() ?? "blob"}, got {staged.Size}");
            }

            if (expected is { } e && e != staged.Digest)
            {
                throw new ImageException($"digest mismatch: expected {e}, got {staged.Digest}");
            }

            return Commit(staged);
        }
        catch
        {
            Discard(staged);
            throw;
        }
    }

    public Digest WriteBytes(ReadOnlySpan<byte> data)
    {
        var digest = Digest.Sha256(data);
        if (Exists(digest))
        {
            return digest;
        }

        PrivateDirectory.Create(IngestDir);
        var tmp = Path.Combine(IngestDir, TempName.New("blob"));
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(data);
                fs.Flush(flushToDisk: true);
            }

            return Commit(new StagedBlob(tmp, digest, data.Length));
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    public bool Exists(Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>The blob's file; for readers that want a path (e.g. to hand it to another process).</summary>
    public string BlobPath(Digest digest)
    {
        if (digest.Algorithm != "sha256")
        {
            throw new ImageException($"unsupported digest algorithm \"{digest.Algorithm}\"");
        }

        return Path.Combine(BlobDir, digest.Encoded);
    }

    public Stream Open(Digest digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException e)
        {
            throw new ImageException($"blob {digest} not found", ImageErrorKind.NotFound, e);
        }
    }

    public byte[] ReadAll(Digest digest)
    {
        try
        {
            return File.ReadAllBytes(BlobPath(digest));
        }
        catch (FileNotFoundException e)
        {
            throw new ImageException($"blob {digest} not found", ImageErrorKind.NotFound, e);
        }
    }

    public long Size(Digest digest)
    {
        var info = new FileInfo(BlobPath(digest));
        return info.Exists ? info.Length : throw new ImageException($"blob {digest} not found", ImageErrorKind.NotFound);
    }

    public void Delete(Digest digest) => File.Delete(BlobPath(digest));

    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(BlobDir))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(BlobDir))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(file), out var digest))
            {
                yield return digest;
            }
        }
    }

    /// <summary>Copies a stream into the ingest area, hashing as it goes; the caller commits or discards it.</summary>
    internal StagedBlob Stage(Stream content, Stream? tee = null)
    {
        PrivateDirectory.Create(IngestDir);
        var tmp = Path.Combine(IngestDir, TempName.New("blob"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = content.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    fs.Write(buffer, 0, n);
                    tee?.Write(buffer, 0, n);
                    size += n;
                }

                fs.Flush(flushToDisk: true);
            }

            return new StagedBlob(tmp, Digest.FromSha256Hash(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>Renames a verified staged blob into place; a blob already there wins (same content).</summary>
    internal Digest Commit(StagedBlob staged)
    {
        var final = BlobPath(staged.Digest);
        if (File.Exists(final))
        {
            File.Delete(staged.Path);
            return staged.Digest;
        }

        PrivateDirectory.Create(BlobDir);
        Sys.Check(Linux.Interop.LibC.chmod(staged.Path, BlobMode), "chmod", staged.Path);
        try
        {
            File.Move(staged.Path, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            // Another process committed the same content first.
            File.Delete(staged.Path);
        }

        AtomicFile.FsyncDirectory(BlobDir);
        return staged.Digest;
    }

    internal static void Discard(StagedBlob staged) => File.Delete(staged.Path);
}
