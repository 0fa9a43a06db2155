using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The attached side of <c>anchor run</c> without a monitor: forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT
/// to the container, and with a terminal relays the pty (stdin to master, master to stdout, window
/// size on SIGWINCH) with the user's terminal in raw mode. Without a terminal the container
/// writes straight to anchor's own stdout and stderr, or to pipes that the engine copies to them
/// and to the log (LaunchStdio.PipeOutput): nothing to copy here.
/// </summary>
public sealed class ForegroundSession : IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];
    private readonly StartedContainer _container;
    private readonly HostTerminal? _raw;
    private readonly Thread? _output;

    /// <param name="outputTap">With a terminal, also given every chunk read from the pty (a run that keeps its log).</param>
    /// <param name="forwardSignals">run --sig-proxy=false: the signals keep their default action on anchor.</param>
    public ForegroundSession(StartedContainer container, bool attachStdin, Action<byte[], int>? outputTap = null, bool forwardSignals = true)
    {
        _container = container;
        foreach (var signal in forwardSignals ? ForwardedSignals.All : [])
        {
            _signals.Add(PosixSignalRegistration.Create(signal, Forward));
        }

        if (container.PtyMaster < 0)
        {
            return;
        }

        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => HostTerminal.CopySize(0, container.PtyMaster)));
        if (attachStdin)
        {
            _raw = HostTerminal.MakeRaw(0);
            var input = new Thread(() => Copy(0, container.PtyMaster)) { IsBackground = true, Name = "anchor-stdin" };
            input.Start();
        }

        _output = new Thread(() => Copy(container.PtyMaster, 1, outputTap)) { IsBackground = true, Name = "anchor-stdout" };
        _output.Start();
    }

    public int Wait()
    {
        var code = _container.WaitForExit();
        DrainOutput();
        return code;
    }

    /// <summary>
    /// After the process has exited: lets the relay copy what is still in the pty. The master reads
    /// EIO once the last slave descriptor closes, so all output has then been read; without this the
    /// relay, a background thread, would die with the process and drop the last lines.
    /// </summary>
    public void DrainOutput() => _output?.Join(TimeSpan.FromSeconds(2));

    private void Forward(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = ForwardedSignals.Number(context.Signal);
        if (number != 0)
        {
            LibC.kill(_container.Pid, number);
        }
    }

    private static unsafe void Copy(int from, int to, Action<byte[], int>? tap = null)
    {
        var buffer = new byte[32 * 1024];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = LibC.read(from, p, buffer.Length);
                if (n < 0 && Sys.LastErrno == LibC.EINTR)
                {
                    continue;
                }

                if (n <= 0)
                {
                    return;
                }

                tap?.Invoke(buffer, (int)n);
                try
                {
                    Sys.WriteAll(to, new ReadOnlySpan<byte>(p, (int)n));
                }
                catch (LinuxException)
                {
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        _raw?.Dispose();
    }
}
