using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Security;

/// <summary>
/// A compiled seccomp filter, ready for seccomp(2). <see cref="Load"/> takes it from the cache when
/// a program for the same spec object, libseccomp and architecture was compiled before (one small
/// file read: no libseccomp, no JSON; <see cref="SeccompCacheFile"/>), else compiles and stores it.
/// </summary>
public sealed unsafe class SeccompProgram
{
    private const int HeaderSize = SeccompCacheFile.HeaderSize;
    private const int InstructionSize = SeccompCacheFile.InstructionSize;

    /// <summary>The cache file's bytes (header, then the instructions), possibly followed by unused room.</summary>
    private readonly byte[] file;
    private readonly bool specAllowImplied;

    private SeccompProgram(byte[] file, int fileLength, SpecSeccomp spec, string key, bool fromCache)
    {
        this.file = file;
        Length = (fileLength - HeaderSize) / InstructionSize;
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
    public ReadOnlySpan<byte> Instructions => file.AsSpan(HeaderSize, Length * InstructionSize);

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

        var key = CacheKey(spec);
        var path = Path.Combine(cacheDirectory, key + ".bpf");
        if (SeccompCacheFile.TryRead(path) is { } cached)
        {
            return new SeccompProgram(cached.Buffer, cached.Length, spec, key, fromCache: true);
        }

        var file = SeccompCacheFile.Encode(SeccompCompiler.Compile(spec));
        SeccompCacheFile.Store(cacheDirectory, path, file);
        return new SeccompProgram(file, file.Length, spec, key, fromCache: false);
    }

    /// <summary>Compiles without the cache (libseccomp is loaded).</summary>
    public static SeccompProgram? Compile(SpecSeccomp spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (IsDisabled(spec))
        {
            return null;
        }

        var file = SeccompCacheFile.Encode(SeccompCompiler.Compile(spec));
        return new SeccompProgram(file, file.Length, spec, CacheKey(spec), fromCache: false);
    }

    /// <summary>
    /// Computes the cache key of <paramref name="spec"/> ahead of <see cref="Load"/> (the SHA-256 of
    /// some 6 KB, and the code that makes it, cold in a new process: most of a load's cost), on
    /// whatever thread has time: `anchor run`'s warm-up thread does it for the default profile while
    /// the command line is parsed. The key is kept for this object; <see cref="Load"/> with the same
    /// object finds it (specs are not changed once made). Also runs the read path once on /dev/null.
    /// </summary>
    public static void Prepare(SpecSeccomp spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsDisabled(spec))
        {
            _ = CacheKey(spec);
        }

        _ = SeccompCacheFile.TryRead("/dev/null");
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

    /// <summary>The key of the last object asked for (and its key), so a prepared key is not computed twice.</summary>
    private static KeyMemo? lastKey;

    private static string CacheKey(SpecSeccomp spec)
    {
        if (Volatile.Read(ref lastKey) is { } memo && ReferenceEquals(memo.Spec, spec))
        {
            return memo.Key;
        }

        var key = SeccompCacheKey.Compute(spec, SeccompLibrary.Identity, SeccompLibrary.NativeArchitecture);
        Volatile.Write(ref lastKey, new KeyMemo(spec, key));
        return key;
    }

    private sealed record KeyMemo(SpecSeccomp Spec, string Key);
}
