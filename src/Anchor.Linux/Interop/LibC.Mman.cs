using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/mman.h: memfd_create(2), an anonymous file in memory.
public static unsafe partial class LibC
{
    public const uint MFD_CLOEXEC = 1;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);
}
