using System.Security.Cryptography;
using Anchor.Oci;

namespace Anchor.Images.Layers;

/// <summary>
/// Hashes every byte read through it, so the DiffID (sha256 of the uncompressed tar) comes out of the
/// same single pass that extracts the layer. It can also keep a copy of the bytes read since
/// <see cref="StartRecording"/>: TarReader decodes PAX values as UTF-8, so binary xattrs are recovered
/// from the raw extended header (see <see cref="PaxRecords"/>).
/// </summary>
internal sealed class HashingReadStream(Stream inner) : Stream
{
    private const int RecordLimit = 8 << 20;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MemoryStream _record = new();
    private bool _recording;

    public long BytesRead { get; private set; }

    /// <summary>Offset in the stream of the first recorded byte.</summary>
    public long RecordStart { get; private set; }

    public bool RecordOverflowed { get; private set; }

    public ReadOnlySpan<byte> Recorded => _record.GetBuffer().AsSpan(0, (int)_record.Length);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public void StartRecording()
    {
        _record.SetLength(0);
        RecordStart = BytesRead;
        RecordOverflowed = false;
        _recording = true;
    }

    public void StopRecording() => _recording = false;

    /// <summary>Reads to the end (tar padding after the end-of-archive blocks counts in the DiffID) and returns the hash.</summary>
    public Digest Finish()
    {
        _recording = false;
        var buffer = new byte[1 << 16];
        while (Read(buffer) > 0)
        {
        }

        return Digest.FromSha256Hash(_hash.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        if (n > 0)
        {
            _hash.AppendData(buffer[..n]);
            BytesRead += n;
            if (_recording)
            {
                if (_record.Length + n <= RecordLimit)
                {
                    _record.Write(buffer[..n]);
                }
                else
                {
                    RecordOverflowed = true;
                    _recording = false;
                }
            }
        }

        return n;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _record.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
