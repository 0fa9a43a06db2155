using Anchor.Engine.Attach;
using Anchor.Engine.Run;
using Anchor.Runtime.Launch;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Api;

/// <summary>An attached exec's streams over the hijacked connection (<see cref="ExecEndpoints.Start"/>).</summary>
public static class ExecRelay
{
    /// <summary>
    /// The process's output to the client until it ends (frames per stream without a TTY, the pty's
    /// bytes with one), the client's bytes to its stdin, then its exit code into the instance.
    /// </summary>
    public static async Task Run(ExecSession session, ExecInstance exec, Stream client, Task clientClosed)
    {
        var process = session.Process;
        var exited = Task.Factory.StartNew(session.Wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using var writeLock = new SemaphoreSlim(1);
        using var stop = new CancellationTokenSource();
        Task output;
        Task input = Task.CompletedTask;
        if (process.PtyMaster >= 0)
        {
            var master = new SafeFileHandle(process.PtyMaster, ownsHandle: false);
            output = Copy(master, null, true, client, writeLock);
            if (exec.Options.Interactive)
            {
                input = PumpStdin(client, master, null, clientClosed, stop.Token);
            }
        }
        else
        {
            var pipes = process.Pipes!;
            output = Task.WhenAll(
                Copy(new SafeFileHandle(pipes.Stdout.Fd, ownsHandle: false), AttachStream.Stdout, exec.AttachStdout, client, writeLock),
                Copy(new SafeFileHandle(pipes.Stderr.Fd, ownsHandle: false), AttachStream.Stderr, exec.AttachStderr, client, writeLock));
            if (pipes.Stdin is { } stdin)
            {
                input = PumpStdin(client, new SafeFileHandle(stdin.Fd, ownsHandle: false), pipes, clientClosed, stop.Token);
            }
        }

        await output;
        exec.Ended(await exited);
        await stop.CancelAsync();
        try
        {
            await input;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client's stdin ends with the process.
        }
    }

    /// <summary>One output of the process to the client (dropped when not attached) until its end of file, or EIO on a pty whose slave is closed.</summary>
    private static Task Copy(SafeFileHandle from, AttachStream? stream, bool attached, Stream client, SemaphoreSlim writeLock) => Task.Run(async () =>
    {
        using var source = new FileStream(from, FileAccess.Read, 1);
        var buffer = new byte[32 * 1024];
        var clientGone = false;
        while (true)
        {
            int read;
            try
            {
                read = source.Read(buffer);
            }
            catch (IOException)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }

            if (!attached || clientGone)
            {
                continue;
            }

            var payload = stream is { } s ? AttachFrame.Encode(s, buffer.AsSpan(0, read)) : buffer[..read];
            await writeLock.WaitAsync();
            try
            {
                await client.WriteAsync(payload);
                await client.FlushAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away: keep draining so the process never blocks on a full pipe.
                clientGone = true;
            }
            finally
            {
                writeLock.Release();
            }
        }
    });

    /// <summary>Client bytes to the process's stdin; the client's end of input closes a pipe stdin (docker's StdinOnce for exec).</summary>
    private static async Task PumpStdin(Stream client, SafeFileHandle stdin, ContainerPipes? pipes, Task clientClosed, CancellationToken token)
    {
        var buffer = new byte[32 * 1024];
        using var target = new FileStream(stdin, FileAccess.Write, 1);
        while (true)
        {
            var read = await Hijack.ReadClient(client, buffer, clientClosed, token);
            if (read == 0)
            {
                pipes?.CloseStdin();
                return;
            }

            target.Write(buffer, 0, read);
        }
    }
}
