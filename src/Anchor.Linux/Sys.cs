using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>Throwing wrappers over <see cref="LibC"/>: each failure names the call and its subject.</summary>
public static unsafe class Sys
{
    public static int LastErrno => Marshal.GetLastPInvokeError();

    public static void Check(int result, string operation, string? subject = null)
    {
        if (result < 0)
        {
            throw LinuxException.FromLastError(operation, subject);
        }
    }

    /// <summary>For calls that return an error number instead of setting errno (pthread_*, posix_spawn*).</summary>
    public static void CheckResult(int result, string operation, string? subject = null)
    {
        if (result != 0)
        {
            throw new LinuxException(result, operation, subject);
        }
    }

    public static void Mount(string? source, string target, string? fsType, ulong flags, string? data = null) =>
        Check(LibC.mount(source, target, fsType, flags, data), "mount", target);

    public static void Umount(string target, int flags) =>
        Check(LibC.umount2(target, flags), "umount", target);

    public static void Unshare(int flags) => Check(LibC.unshare(flags), "unshare");

    public static void Mkdir(string path, uint mode)
    {
        if (LibC.mkdir(path, mode) < 0 && LastErrno != LibC.EEXIST)
        {
            throw LinuxException.FromLastError("mkdir", path);
        }
    }

    public static void Chmod(string path, uint mode) => Check(LibC.chmod(path, mode), "chmod", path);

    public static void Lchown(string path, uint uid, uint gid) => Check(LibC.lchown(path, uid, gid), "lchown", path);

    public static void Symlink(string target, string linkPath) => Check(LibC.symlink(target, linkPath), "symlink", linkPath);

    public static void Mknod(string path, uint mode, ulong dev) => Check(LibC.mknod(path, mode, dev), "mknod", path);

    /// <summary>The S_IFMT bits of the path itself (lstat(2), links not followed), or 0 when nothing is there.</summary>
    public static uint FileType(string path)
    {
        LibC.StatBuf st;
        return LibC.lstat(path, &st) < 0 ? 0 : st.st_mode & LibC.S_IFMT;
    }

    /// <summary>The running kernel's release, uname(2)'s (e.g. "6.18.44-fc-v1300").</summary>
    public static string KernelRelease()
    {
        LibC.Utsname buf;
        Check(LibC.uname(&buf), "uname");
        return new string((sbyte*)buf.release);
    }

    /// <summary>Reads the real errno for a fresh random ID without loading OpenSSL (see docs/architecture.md).</summary>
    public static void GetRandom(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var n = LibC.getrandom(p + done, buffer.Length - done);
                if (n < 0)
                {
                    if (LastErrno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw LinuxException.FromLastError("getrandom");
                }

                done += (int)n;
            }
        }
    }

    /// <summary>Clears FD_CLOEXEC so a child started by Process.Start inherits the descriptor.</summary>
    public static void SetInheritable(int fd, bool inheritable)
    {
        var flags = LibC.fcntl(fd, LibC.F_GETFD, 0);
        Check(flags, "fcntl", "F_GETFD");
        flags = inheritable ? flags & ~LibC.FD_CLOEXEC : flags | LibC.FD_CLOEXEC;
        Check(LibC.fcntl(fd, LibC.F_SETFD, flags), "fcntl", "F_SETFD");
    }

    /// <summary>
    /// Blocks until the child <paramref name="pid"/> has ended and returns its exit code as a shell
    /// reports it (128 + signal when killed), without reaping it (waitid(2) WNOWAIT). The kernel wakes
    /// this thread directly; .NET's Process reaps the zombie on its own signal thread.
    /// </summary>
    /// <returns>The exit code, or null when the child was already reaped (ECHILD).</returns>
    public static int? WaitForExitNoReap(int pid)
    {
        var info = stackalloc byte[LibC.SiginfoSize];
        while (LibC.waitid(LibC.P_PID, pid, info, LibC.WEXITED | LibC.WNOWAIT) < 0)
        {
            switch (LastErrno)
            {
                case LibC.EINTR:
                    continue;
                case LibC.ECHILD:
                    return null;
                default:
                    throw LinuxException.FromLastError("waitid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var code = *(int*)(info + 8);
        var status = *(int*)(info + 24);
        return code == LibC.CLD_EXITED ? status : 128 + status;
    }

    /// <summary>Takes a child's zombie (waitpid(2)); with <paramref name="block"/> false only if it has exited.</summary>
    public static void Reap(int pid, bool block)
    {
        int status;
        while (LibC.waitpid(pid, &status, block ? 0 : LibC.WNOHANG) < 0 && LastErrno == LibC.EINTR)
        {
        }
    }

    /// <summary>A pipe whose both ends are close-on-exec; the caller opts one end into inheritance.</summary>
    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Check(LibC.pipe2(fds, LibC.O_CLOEXEC), "pipe2");
        return (fds[0], fds[1]);
    }

    public static void WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = LibC.write(fd, p + done, data.Length - done);
                if (n < 0)
                {
                    if (LastErrno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw LinuxException.FromLastError("write");
                }

                done += (int)n;
            }
        }
    }

    /// <summary>
    /// A small text file (at most 4 KiB: a name-index entry, a /proc or /sys value), or null when it
    /// does not exist. No exception for the missing case: on the paths that look a name up, a thrown
    /// and caught FileNotFoundException cost more (DWARF unwinding in NativeAOT) than the read itself.
    /// </summary>
    public static string? TryReadSmallText(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return LastErrno is LibC.ENOENT or LibC.ENOTDIR ? null : throw LinuxException.FromLastError("open", path);
        }

        try
        {
            Span<byte> buffer = stackalloc byte[4096];
            var n = ReadFull(fd, buffer);
            return System.Text.Encoding.UTF8.GetString(buffer[..n]);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or end of file; returns the count read.</summary>
    public static int ReadFull(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var n = LibC.read(fd, p + done, buffer.Length - done);
                if (n < 0)
                {
                    if (LastErrno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw LinuxException.FromLastError("read");
                }

                if (n == 0)
                {
                    break;
                }

                done += (int)n;
            }

            return done;
        }
    }
}
