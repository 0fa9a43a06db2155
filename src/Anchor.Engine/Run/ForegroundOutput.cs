using Anchor.Engine.Attach;
using Anchor.Engine.Monitor;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Run;

/// <summary>
/// The output of a foreground <c>anchor run</c> that keeps its log (docker keeps the log of every
/// container but a --rm one: `docker logs NAME` after a plain `docker run`): one thread polls the
/// container's stdout and stderr pipes, appends what it reads to the json-file log and copies it to
/// this process's own stdout and stderr (an unattached stream, -a, goes to the log only, as in
/// docker). It polls from the moment the process is released, stdout before stderr in a round,
/// like the monitor's relay, so the log keeps the order of lines written by turns.
/// </summary>
internal sealed unsafe class ForegroundOutput
{
    private readonly List<(int Fd, AttachStream Stream)> _open;
    private readonly JsonLogWriter _log;
    private readonly bool[] _attached;
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private readonly Thread _thread;

    private ForegroundOutput(ContainerStdio stdio, JsonLogWriter log, bool stdout, bool stderr)
    {
        _open = [.. stdio.Outputs];
        _log = log;
        _attached = [stdout, stderr];
        (_wakeRead, _wakeWrite) = Sys.Pipe();
        _thread = new Thread(Run) { IsBackground = true, Name = "anchor-output" };
    }

    public static ForegroundOutput Start(ContainerStdio stdio, JsonLogWriter log, bool stdout, bool stderr)
    {
        var output = new ForegroundOutput(stdio, log, stdout, stderr);
        output._thread.Start();
        return output;
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the output's end of file (a process left behind,
    /// --pid host, may hold the pipes open), then stops reading; the log has every line read.
    /// </summary>
    public void Finish(TimeSpan grace)
    {
        if (!_thread.Join(grace))
        {
            Sys.WriteAll(_wakeWrite, [1]);
            _thread.Join();
        }

        LibC.close(_wakeRead);
        LibC.close(_wakeWrite);
    }

    private void Run()
    {
        var buffer = new byte[32 * 1024];
        while (_open.Count > 0)
        {
            var fds = new LibC.Pollfd[_open.Count + 1];
            fds[0] = new LibC.Pollfd { fd = _wakeRead, events = LibC.POLLIN };
            for (var i = 0; i < _open.Count; i++)
            {
                fds[i + 1] = new LibC.Pollfd { fd = _open[i].Fd, events = LibC.POLLIN };
            }

            int n;
            fixed (LibC.Pollfd* p = fds)
            {
                n = LibC.poll(p, (nuint)fds.Length, -1);
            }

            if (n < 0 && Sys.LastErrno == LibC.EINTR)
            {
                continue;
            }

            if (n < 0 || fds[0].revents != 0)
            {
                break;
            }

            // stdout first; outputs at their end leave after the round (indices pair with fds).
            var ended = new List<int>();
            for (var i = 0; i < _open.Count; i++)
            {
                if (fds[i + 1].revents != 0 && !Copy(_open[i].Stream, _open[i].Fd, buffer))
                {
                    ended.Add(i);
                }
            }

            for (var i = ended.Count - 1; i >= 0; i--)
            {
                _open.RemoveAt(ended[i]);
            }
        }

        _log.Flush("stdout");
        _log.Flush("stderr");
    }

    /// <summary>One read: to the log and, when attached, to our own descriptor; false at end of file.</summary>
    private bool Copy(AttachStream stream, int fd, byte[] buffer)
    {
        nint n;
        fixed (byte* p = buffer)
        {
            n = LibC.read(fd, p, buffer.Length);
        }

        if (n < 0 && Sys.LastErrno is LibC.EINTR or LibC.EAGAIN)
        {
            return true;
        }

        var stderr = stream == AttachStream.Stderr;
        if (n <= 0)
        {
            return false;
        }

        var data = buffer.AsSpan(0, (int)n);
        _log.Append(stderr ? "stderr" : "stdout", data);
        if (_attached[stderr ? 1 : 0])
        {
            try
            {
                Sys.WriteAll(stderr ? 2 : 1, data);
            }
            catch (LinuxException)
            {
                // Our own stdout went away (a closed pipe): the log still gets every line.
                _attached[stderr ? 1 : 0] = false;
            }
        }

        return true;
    }
}
