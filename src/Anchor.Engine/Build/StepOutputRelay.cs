using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Build;

/// <summary>
/// Copies a RUN step's stdout and stderr pipes, in the order its writes are read, to the caller's
/// stream until the step has exited and the pipes are drained. The step's process is the pid 1 of
/// its own pid namespace, so when it exits the kernel kills whatever it left behind and the pipes
/// reach end of file; the pidfd bounds the wait anyway (after the exit, only what is already in
/// the pipes is read).
/// </summary>
internal static unsafe class StepOutputRelay
{
    /// <returns>The step's exit code.</returns>
    public static int CopyUntilExit(StartedContainer step, Stream output)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(output);
        var pipes = step.Pipes ?? throw new InvalidOperationException("a RUN step without pipes");
        var pidfd = OwnedFd.Check(LibC.pidfd_open(step.Pid), "pidfd_open", "RUN step");
        try
        {
            Copy(pipes, pidfd.Fd, output);
        }
        finally
        {
            pidfd.Dispose();
        }

        return step.WaitForExit();
    }

    private static void Copy(ContainerPipes pipes, int pidfd, Stream output)
    {
        var fds = stackalloc LibC.Pollfd[3];
        fds[0] = new LibC.Pollfd { fd = pipes.Stdout.Fd, events = LibC.POLLIN };
        fds[1] = new LibC.Pollfd { fd = pipes.Stderr.Fd, events = LibC.POLLIN };
        fds[2] = new LibC.Pollfd { fd = pidfd, events = LibC.POLLIN };
        var buffer = new byte[32 * 1024];
        var exited = false;
        while (fds[0].fd >= 0 || fds[1].fd >= 0)
        {
            var ready = LibC.poll(fds, 3, exited ? 0 : -1);
            if (ready < 0 && Sys.LastErrno == LibC.EINTR)
            {
                continue;
            }

            Sys.Check(ready < 0 ? -1 : 0, "poll", "RUN step output");
            if (ready == 0)
            {
                break; // exited, and nothing more is waiting in the pipes
            }

            if (fds[2].revents != 0)
            {
                exited = true;
                fds[2].fd = -1;
            }

            for (var i = 0; i < 2; i++)
            {
                if (fds[i].fd < 0 || fds[i].revents == 0)
                {
                    continue;
                }

                var n = Read(fds[i].fd, buffer);
                if (n <= 0)
                {
                    fds[i].fd = -1; // end of file (or an error): this stream is done
                    continue;
                }

                output.Write(buffer, 0, n);
            }
        }

        output.Flush();
    }

    private static int Read(int fd, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = LibC.read(fd, p, buffer.Length);
                if (n >= 0 || Sys.LastErrno != LibC.EINTR)
                {
                    return (int)n;
                }
            }
        }
    }
}
