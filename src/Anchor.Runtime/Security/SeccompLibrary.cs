using System.Globalization;
using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Security;

/// <summary>
/// Which libseccomp a program would be compiled with, found without loading it: the cache key must
/// change when the library does (a newer one knows more system calls), but loading it only to ask
/// seccomp_version() would cost every `anchor run` the load. The soname's link names the version
/// (libseccomp.so.2 → libseccomp.so.2.5.4) and its stat (size, mtime, inode) changes with any
/// reinstall. The directories are where Debian, Fedora and others keep it for this architecture;
/// dlopen finds the same file through ld.so.cache unless LD_LIBRARY_PATH points elsewhere.
/// </summary>
internal static unsafe class SeccompLibrary
{
    private static readonly string[] Directories =
    [
        "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
    ];

    private static string? identity;

    /// <summary>"libseccomp.so.2.5.4 129312 1716595200.0 1234", or "absent".</summary>
    public static string Identity => identity ??= Probe();

    /// <summary>The native architecture as libseccomp names it (x86_64 is the only one Anchor builds for).</summary>
    public static string NativeArchitecture => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string Probe()
    {
        foreach (var directory in Directories)
        {
            var path = directory + "/" + LibSeccomp.Lib;
            LibC.StatBuf st;
            if (LibC.fstatat(LibC.AT_FDCWD, path, &st, 0) != 0)
            {
                continue;
            }

            var link = stackalloc byte[256];
            var length = LibC.readlinkat(LibC.AT_FDCWD, path, link, 255);
            var name = length > 0 ? Path.GetFileName(System.Text.Encoding.UTF8.GetString(link, (int)length)) : LibSeccomp.Lib;
            return string.Create(CultureInfo.InvariantCulture, $"{name} {st.st_size} {st.st_mtim.tv_sec}.{st.st_mtim.tv_nsec} {st.st_ino}");
        }

        return "absent";
    }
}
