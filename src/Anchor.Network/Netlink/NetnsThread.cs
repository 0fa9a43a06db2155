using System.Runtime.ExceptionServices;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Network.Netlink;

/// <summary>
/// Runs work inside another network namespace on a dedicated thread: setns(2) with CLONE_NEWNET
/// moves only the calling thread, so the thread is created for the job and ends with it, and
/// never goes back to a pool where later work would silently run in the container's namespace
/// (docs/linux-from-dotnet.md). Sockets created there stay bound to that namespace.
/// </summary>
public static class NetnsThread
{
    public static T Run<T>(string namespacePath, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var fd = LibC.open(namespacePath, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                Sys.Check(fd, "open", namespacePath);
                try
                {
                    Sys.Check(LibC.setns(fd, LibC.CLONE_NEWNET), "setns", namespacePath);
                }
                finally
                {
                    LibC.close(fd);
                }

                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024) { Name = "anchor-netns", IsBackground = true };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
