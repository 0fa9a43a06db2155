using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Anchor.IntegrationTests;

/// <summary>
/// The receiving end of runc's --console-socket, as containerd's shim has it: a unix socket that
/// accepts one connection and takes the pty master out of its SCM_RIGHTS message (recvmsg(2), which
/// .NET's Socket does not expose for descriptors).
/// </summary>
public sealed class ConsoleSocketReceiver : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Task<int> _received;

    public ConsoleSocketReceiver(string path)
    {
        Path = path;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(1);
        _received = Task.Run(() =>
        {
            using var connection = _listener.Accept();
            return ReceiveFd((int)connection.Handle);
        });
    }

    public string Path { get; }

    /// <summary>The received descriptor (the test's own copy of the pty master).</summary>
    public int Master(TimeSpan timeout) =>
        _received.Wait(timeout) ? _received.Result : throw new TimeoutException("no descriptor arrived on " + Path);

    public void Dispose() => _listener.Dispose();

    [StructLayout(LayoutKind.Sequential)]
    private struct Iovec
    {
        public IntPtr Base;
        public UIntPtr Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Msghdr
    {
        public IntPtr Name;
        public uint NameLength;
        public IntPtr Iov;
        public UIntPtr IovLength;
        public IntPtr Control;
        public UIntPtr ControlLength;
        public int Flags;
    }

    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr RecvMsg(int socket, ref Msghdr message, int flags);

    private static int ReceiveFd(int socket)
    {
        var data = Marshal.AllocHGlobal(256);
        var iov = Marshal.AllocHGlobal(Marshal.SizeOf<Iovec>());
        var control = Marshal.AllocHGlobal(64);
        try
        {
            Marshal.StructureToPtr(new Iovec { Base = data, Length = 256 }, iov, false);
            var message = new Msghdr { Iov = iov, IovLength = 1, Control = control, ControlLength = 64 };
            var n = RecvMsg(socket, ref message, 0);
            if (n < 0)
            {
                throw new IOException("recvmsg failed: errno " + Marshal.GetLastPInvokeError());
            }

            // struct cmsghdr: size_t len, int level, int type, then the int descriptor (cmsg(3)).
            var level = Marshal.ReadInt32(control, 8);
            var type = Marshal.ReadInt32(control, 12);
            if ((ulong)message.ControlLength < 20 || level != 1 || type != 1)
            {
                throw new IOException("no SCM_RIGHTS message arrived");
            }

            return Marshal.ReadInt32(control, 16);
        }
        finally
        {
            Marshal.FreeHGlobal(data);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(control);
        }
    }
}
