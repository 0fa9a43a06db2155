using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/mman.h: memfd_create(2), an anonymous file in memory; madvise(2).
public static unsafe partial class LibC
{
    public const uint MFD_CLOEXEC = 1;

    /// <summary>Drops the range's pages from this process; a clean file page is read back from the page cache when touched.</summary>
    public const int MADV_DONTNEED = 4;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int madvise(void* addr, nuint length, int advice);
}
