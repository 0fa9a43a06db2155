using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/xattr.h: lsetxattr(2), lgetxattr(2), fgetxattr(2)
public static unsafe partial class LibC
{
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lsetxattr(string path, string name, byte* value, nint size, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint lgetxattr(string path, string name, byte* value, nint size);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint fgetxattr(int fd, string name, byte* value, nint size);
}
