using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Security;

/// <summary>
/// A compiled seccomp filter, ready for seccomp(2). <see cref="Load"/> takes it from the cache when
/// a program for the same spec object, libseccomp and architecture was compiled before (one small
/// file read: no libseccomp, no JSON), else compiles and stores it. The file: "ANCHBPF1", the
/// instruction count (uint32), 4 zero bytes, a 64-bit FNV-1a checksum of the instructions, then the
/// struct sock_filter[] in host byte order. A short, long or corrupt file is compiled anew.
/// </summary>
public sealed unsafe class SeccompProgram
{
    private const int HeaderSize = 24;
    private const int InstructionSize = 8;
    private const int MaxFileSize = HeaderSize + (LibC.BPF_MAXINSNS * InstructionSize);
    private static ReadOnlySpan<byte> Magic => "ANCHBPF1"u8;

    /// <summary>The cache file's bytes: header, then the instructions.</summary>
    private readonly byte[] file;
    private readonly bool specAllowImplied;

    private SeccompProgram(byte[] file, SpecSeccomp spec, string key, bool fromCache)
    {
        this.file = file;
        Length = (file.Length - HeaderSize) / InstructionSize;
        Flags = SeccompNames.Flags(spec.Flags);
        specAllowImplied = spec.Flags is null;
        Key = key;
        FromCache = fromCache;
    }

    /// <summary>Instructions in the program (the ENOSYS stub included).</summary>
    public int Length { get; }

    /// <summary>SECCOMP_FILTER_FLAG_* passed to seccomp(2).</summary>
    public uint Flags { get; }

    /// <summary>The cache key: the file is CACHE/KEY.bpf.</summary>
    public string Key { get; }

    /// <summary>Whether the program came from the cache (false: compiled by this call).</summary>
    public bool FromCache { get; }

    /// <summary>The instructions, struct sock_filter[] in host byte order.</summary>
    public ReadOnlySpan<byte> Instructions => file.AsSpan(HeaderSize);

    /// <summary>
    /// Whether the object asks for no filter at all: no default action and no rules (runc's
    /// libcontainer/specconv SetupSeccomp treats it as seccomp disabled).
    /// </summary>
    public static bool IsDisabled(SpecSeccomp spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.DefaultAction.Length == 0 && (spec.Syscalls?.Count ?? 0) == 0;
    }

    /// <summary>
    /// The program for <paramref name="spec"/> from <paramref name="cacheDirectory"/>/KEY.bpf, compiled
    /// and written there (0600, the directory 0700) when absent or damaged. Null when the object
    /// asks for no filter. Throws <see cref="SeccompException"/> for a profile runc would refuse.
    /// </summary>
    public static SeccompProgram? Load(SpecSeccomp spec, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cacheDirectory);
        if (IsDisabled(spec))
        {
            return null;
        }

        var key = SeccompCacheKey.Compute(spec, SeccompLibrary.Identity, SeccompLibrary.NativeArchitecture);
        var path = Path.Combine(cacheDirectory, key + ".bpf");
        if (TryRead(path) is { } cached)
        {
            return new SeccompProgram(cached, spec, key, fromCache: true);
        }

        var file = Encode(SeccompCompiler.Compile(spec));
        Store(cacheDirectory, path, file);
        return new SeccompProgram(file, spec, key, fromCache: false);
    }

    /// <summary>Compiles without the cache (libseccomp is loaded).</summary>
    public static SeccompProgram? Compile(SpecSeccomp spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return IsDisabled(spec)
            ? null
            : new SeccompProgram(Encode(SeccompCompiler.Compile(spec)), spec, SeccompCacheKey.Compute(spec, SeccompLibrary.Identity, SeccompLibrary.NativeArchitecture), fromCache: false);
    }

    /// <summary>
    /// Attaches the filter to the calling thread only (seccomp(2) SECCOMP_SET_MODE_FILTER, never
    /// TSYNC): call it on the thread that then spawns or execs the container's process, after the
    /// last system call the filter could refuse. The thread needs no_new_privs or CAP_SYS_ADMIN.
    /// A kernel older than 4.17 lacks SPEC_ALLOW (EINVAL): when only runc's default asked for it,
    /// the filter goes on without it, as runc then does.
    /// </summary>
    public void Install()
    {
        fixed (byte* p = file)
        {
            var program = new LibC.sock_fprog { len = (ushort)Length, filter = (LibC.sock_filter*)(p + HeaderSize) };
            var flags = Flags;
            if (LibC.seccomp(LibC.SECCOMP_SET_MODE_FILTER, flags, &program) == 0)
            {
                return;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINVAL && specAllowImplied && (flags & LibC.SECCOMP_FILTER_FLAG_SPEC_ALLOW) != 0)
            {
                flags &= ~LibC.SECCOMP_FILTER_FLAG_SPEC_ALLOW;
                if (LibC.seccomp(LibC.SECCOMP_SET_MODE_FILTER, flags, &program) == 0)
                {
                    return;
                }

                errno = Marshal.GetLastPInvokeError();
            }

            throw new SeccompException($"error loading seccomp filter into kernel: {new LinuxException(errno, "seccomp", "SECCOMP_SET_MODE_FILTER").Message}");
        }
    }

    private static byte[] Encode(byte[] instructions)
    {
        var file = new byte[HeaderSize + instructions.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)(instructions.Length / InstructionSize));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), Checksum(instructions));
        instructions.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>The file's bytes when it is a whole, intact program; null when absent or damaged.</summary>
    private static byte[]? TryRead(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        if (fd < 0)
        {
            return null;
        }

        // One byte more than the largest valid file: reading that much means it is too long.
        var buffer = new byte[MaxFileSize + 1];
        var total = 0;
        try
        {
            fixed (byte* p = buffer)
            {
                while (total < buffer.Length)
                {
                    var n = LibC.read(fd, p + total, buffer.Length - total);
                    if (n <= 0)
                    {
                        if (n < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR)
                        {
                            continue;
                        }

                        break;
                    }

                    total += (int)n;
                }
            }
        }
        finally
        {
            LibC.close(fd);
        }

        if (total < HeaderSize + InstructionSize || total > MaxFileSize || !buffer.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8));
        if ((long)count * InstructionSize != total - HeaderSize
            || BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(16)) != Checksum(buffer.AsSpan(HeaderSize, total - HeaderSize)))
        {
            return null;
        }

        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>
    /// Write to a unique temporary name, then rename: a reader sees no file or a whole one, and two
    /// runs compiling at once each rename an identical file. Not fsynced: a file a crash tore fails
    /// the checksum and is compiled again. A cache that cannot be written costs the next run a
    /// compilation, not this one its container.
    /// </summary>
    private static void Store(string directory, string path, byte[] file)
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
