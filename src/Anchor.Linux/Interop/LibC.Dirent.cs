using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// dirent.h: reading a directory from a descriptor (fdopendir(3), readdir(3)), so a walk never
// resolves a path again once the directory itself was opened safely.
public static unsafe partial class LibC
{
    public const byte DT_DIR = 4;

    /// <summary>Offset of d_name in glibc's x86_64 struct dirent (d_ino 8, d_off 8, d_reclen 2, d_type 1).</summary>
    public const int DirentNameOffset = 19;

    public const int DirentTypeOffset = 18;

    /// <summary>Takes ownership of <paramref name="fd"/>: closedir closes it.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint fdopendir(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial byte* readdir(nint dir);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int closedir(nint dir);
}
