using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Security;

/// <summary>
/// A compiled program in the cache, CACHE/KEY.bpf: "ANCHBPF1", the instruction count (uint32), 4
/// zero bytes, a 64-bit FNV-1a checksum of the instructions, then the struct sock_filter[] in host
/// byte order. A short, long or damaged file reads as absent (and is compiled and written again).
/// </summary>
internal static unsafe class SeccompCacheFile
{
    public const int HeaderSize = 24;
    public const int InstructionSize = 8;
    private static ReadOnlySpan<byte> Magic => "ANCHBPF1"u8;

    public static byte[] Encode(byte[] instructions)
    {
        var file = new byte[HeaderSize + instructions.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)(instructions.Length / InstructionSize));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), Checksum(instructions));
        instructions.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>
    /// The file's bytes when it is a whole, intact program; null when absent or damaged. The header
    /// first, then exactly the instructions it announces and one byte more, which must not exist.
    /// </summary>
    public static (byte[] Buffer, int Length)? TryRead(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            if (ReadAt(fd, header, 0) != HeaderSize || !header[..8].SequenceEqual(Magic))
            {
                return null;
            }

            var count = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            if (count is 0 or > LibC.BPF_MAXINSNS)
            {
                return null;
            }

            var length = HeaderSize + ((int)count * InstructionSize);
            var buffer = GC.AllocateUninitializedArray<byte>(length + 1);
            header.CopyTo(buffer);
            var body = buffer.AsSpan(HeaderSize, length - HeaderSize + 1);
            if (ReadAt(fd, body, HeaderSize) != length - HeaderSize
                || BinaryPrimitives.ReadUInt64LittleEndian(header[16..]) != Checksum(body[..^1]))
            {
                return null;
            }

            return (buffer, length);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>pread(2) until the span is full or the file ends; the bytes read.</summary>
    private static int ReadAt(int fd, Span<byte> span, long offset)
    {
        var total = 0;
        fixed (byte* p = span)
        {
            while (total < span.Length)
            {
                var n = LibC.pread(fd, p + total, span.Length - total, offset + total);
                if (n < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR)
                {
                    continue;
                }

                if (n <= 0)
                {
                    break;
                }

                total += (int)n;
            }
        }

        return total;
    }

    /// <summary>
    /// Write to a unique temporary name, then rename: a reader sees no file or a whole one, and two
    /// runs compiling at once each rename an identical file. Not fsynced: a file a crash tore fails
    /// the checksum and is compiled again. A cache that cannot be written costs the next run a
    /// compilation, not this one its container.
    /// </summary>
    public static void Store(string directory, string path, byte[] file)
    {
        var tmp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using (var stream = new FileStream(tmp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(file);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            PhaseTrace.Mark($"seccomp: cache not written: {e.Message}");
            try
            {
                File.Delete(tmp);
            }
            catch (Exception inner) when (inner is IOException or UnauthorizedAccessException)
            {
                // Nothing more to undo.
            }
        }
    }

    /// <summary>FNV-1a over the 64-bit words (instructions are 8 bytes): catches torn and damaged files cheaply.</summary>
    private static ulong Checksum(ReadOnlySpan<byte> instructions)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var word in MemoryMarshal.Cast<byte, ulong>(instructions))
        {
            hash = (hash ^ word) * 0x100000001b3UL;
        }

        return hash;
    }
}
