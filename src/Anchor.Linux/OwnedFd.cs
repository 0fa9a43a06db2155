using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Linux;

/// <summary>
/// A file descriptor this process owns and closes exactly once: disposing it (or its finalizer)
/// closes it, and SafeHandle's reference count keeps a concurrent user from seeing the number
/// reused. Every descriptor of the launch path is one of these, so no exit path can leak one into
/// a container or keep a pipe end open that should signal end of file.
/// </summary>
public sealed class OwnedFd : SafeHandleMinusOneIsInvalid
{
    public OwnedFd(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>An invalid handle (for marshalling); <see cref="OwnedFd(int)"/> takes a real one.</summary>
    public OwnedFd()
        : base(ownsHandle: true)
    {
    }

    /// <summary>The number, for a system call made while this object is alive.</summary>
    public int Fd => IsClosed ? -1 : (int)handle;

    /// <summary>Takes the result of a call that returns a new descriptor, or throws for its errno.</summary>
    public static OwnedFd Check(int fd, string operation, string? subject = null)
    {
        Sys.Check(fd, operation, subject);
        return new OwnedFd(fd);
    }

    /// <summary>A pipe, both ends close-on-exec: (read, write).</summary>
    public static (OwnedFd Read, OwnedFd Write) Pipe()
    {
        var (read, write) = Sys.Pipe();
        return (new OwnedFd(read), new OwnedFd(write));
    }

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
