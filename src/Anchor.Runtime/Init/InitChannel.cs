using System.Text;
using Anchor.Linux;

namespace Anchor.Runtime.Init;

/// <summary>
/// The two pipes between the launcher and the init stage. The launcher writes single bytes on the
/// sync pipe (<see cref="Go"/> once the process sits in its cgroup, <see cref="Ack"/> after it has
/// copied the pty master); init writes text lines on the report pipe: <c>pty FD</c> and
/// <c>error CODE MESSAGE</c>. The report pipe is close-on-exec in init, so end of file without an
/// error line means execve succeeded.
/// </summary>
public static class InitChannel
{
    public const byte Go = (byte)'g';
    public const byte Ack = (byte)'a';

    public static void SendLine(int fd, string line) => Sys.WriteAll(fd, Encoding.UTF8.GetBytes(line + "\n"));

    public static void WaitFor(int fd, byte expected)
    {
        Span<byte> b = stackalloc byte[1];
        if (Sys.ReadFull(fd, b) != 1 || b[0] != expected)
        {
            // The launcher died or gave up: never run the user's command unsupervised.
            Environment.Exit(InitExitCodes.Aborted);
        }
    }
}
