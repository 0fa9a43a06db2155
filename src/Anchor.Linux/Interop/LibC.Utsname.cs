using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/utsname.h: uname(2).
public static unsafe partial class LibC
{
    /// <summary>Each field of struct utsname is a NUL-terminated char[65] on Linux.</summary>
    public const int UTSNAME_LENGTH = 65;

    /// <summary>struct utsname: sysname, nodename, release, version, machine, domainname.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Utsname
    {
        public fixed byte sysname[UTSNAME_LENGTH];
        public fixed byte nodename[UTSNAME_LENGTH];
        public fixed byte release[UTSNAME_LENGTH];
        public fixed byte version[UTSNAME_LENGTH];
        public fixed byte machine[UTSNAME_LENGTH];
        public fixed byte domainname[UTSNAME_LENGTH];
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int uname(Utsname* buf);
}
