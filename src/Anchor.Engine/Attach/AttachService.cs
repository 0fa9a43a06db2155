using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>docker attach's checks and the connection to the container's monitor.</summary>
public sealed unsafe class AttachService(AnchorPaths paths, ContainerStore containers)
{
    /// <summary>The running container to attach to; docker's client-side refusals otherwise (exit 1).</summary>
    public ContainerRecord Running(string nameOrId)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        return record.Status switch
        {
            ContainerStatus.Running => record,
            ContainerStatus.Paused => throw new EngineException("You cannot attach to a paused container, unpause it first", 1),
            ContainerStatus.Restarting => throw new EngineException("You cannot attach to a restarting container, wait until it is running", 1),
            _ => throw new EngineException("You cannot attach to a stopped container, start it first", 1),
        };
    }

    /// <summary>Connects to the monitor's attach socket; a foreground run has no monitor and so no socket.</summary>
    public int Connect(ContainerRecord record)
    {
        try
        {
            var socket = UnixSocket.Connect(paths.AttachSocket(record.Id));
            Events.EventLog.Emit(paths, Events.EventLog.Container(record, "attach"));
            return socket;
        }
        catch (LinuxException e) when (e.Errno is LibC.ENOENT or LibC.ECONNREFUSED)
        {
            throw new EngineException(
                record.MonitorPid == 0
                    ? $"cannot attach to container {record.Name}: it runs in the foreground of an anchor run, which owns its stdio"
                    : $"cannot attach to container {record.Name}: its monitor is not listening ({e.Message})",
                1);
        }
    }

    /// <summary>
    /// POST /containers/{id}/resize: a resize frame to the monitor, which sets its pty's size as
    /// for an attached client's. A container that is not running is docker's 409; one without a
    /// TTY has no terminal to size (moby's resize is a no-op for it too).
    /// </summary>
    public void Resize(string nameOrId, ushort rows, ushort columns)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
        {
            throw new EngineException($"Container {record.Id} is not running", 1) { Kind = EngineErrorKind.Conflict };
        }

        if (record.Options?.Tty != true)
        {
            return;
        }

        var socket = UnixSocket.Connect(paths.AttachSocket(record.Id));
        try
        {
            var frame = AttachFrame.Resize(rows, columns);
            fixed (byte* p = frame)
            {
                Sys.Check((int)LibC.write(socket, p, frame.Length), "write", "attach socket");
            }
        }
        finally
        {
            LibC.close(socket);
        }
    }
}
