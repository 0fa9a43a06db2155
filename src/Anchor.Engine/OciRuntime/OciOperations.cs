using System.Text;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// runc's verbs on a container that <see cref="OciCreate"/> made: start, kill, delete, pause and
/// resume, with runc's state rules and words (start.go, kill.go, delete.go, pause.go).
/// </summary>
public sealed class OciOperations(OciRuntimeRoot root)
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    public OciContainerState Load(string id) => root.Load(id);

    /// <summary>Lets the created container's process run its command (runtime.md "start").</summary>
    public void Start(string id)
    {
        var state = root.Load(id);
        switch (OciRuntimeRoot.StatusOf(state))
        {
            case OciStatus.Stopped:
                throw new EngineException("cannot start a container that has stopped", OciRuntimeRoot.ErrorExit);
            case OciStatus.Running:
                throw new EngineException("cannot start an already running container", OciRuntimeRoot.ErrorExit);
            case OciStatus.Paused:
                throw new EngineException("cannot start a container in the paused state", OciRuntimeRoot.ErrorExit);
        }

        int connection;
        try
        {
            connection = UnixSocket.Connect(root.StartSocket(id));
        }
        catch (LinuxException)
        {
            throw new EngineException("cannot start a container that has stopped", OciRuntimeRoot.ErrorExit);
        }

        using var owned = new OwnedFd(connection);
        Sys.WriteAll(connection, "s"u8);
        var reply = ReadLine(connection);
        if (reply != "ok")
        {
            throw new EngineException(reply is not null && reply.StartsWith("error ", StringComparison.Ordinal) ? reply[6..] : "container init exited unexpectedly", OciRuntimeRoot.ErrorExit);
        }
    }

    /// <summary>kill(2) to the first process, or with <paramref name="all"/> to every process of the cgroup.</summary>
    public void Kill(string id, int signal, bool all)
    {
        var state = root.Load(id);
        var status = OciRuntimeRoot.StatusOf(state);
        if (status == OciStatus.Stopped)
        {
            if (all)
            {
                return; // runc: kill --all of a stopped container is not an error
            }

            throw new EngineException("container not running", OciRuntimeRoot.ErrorExit);
        }

        if (all)
        {
            OciRuntimeRoot.Cgroup(state).Kill(signal);
        }
        else
        {
            Sys.Check(LibC.kill(state.Pid, signal), "kill");
        }

        if (status == OciStatus.Paused && signal == 9)
        {
            // A frozen task dies only once thawed (runc thaws after SIGKILL too).
            OciRuntimeRoot.Cgroup(state).Freeze(false);
            root.Save(state with { Paused = false });
        }
    }

    /// <summary>runc's delete: a stopped or created container goes (a created one killed first); --force kills a running one.</summary>
    public void Delete(string id, bool force)
    {
        OciRuntimeRoot.ValidateId(id);
        var state = root.TryLoad(id);
        if (state is null)
        {
            // A create or run killed before it recorded the container left its directory (and
            // maybe a cgroup): reclaimed here; one still at work is left alone.
            root.ReclaimAbandoned(id);

            if (force)
            {
                return;
            }

            throw new EngineException("container does not exist", OciRuntimeRoot.ErrorExit);
        }

        var status = OciRuntimeRoot.StatusOf(state);
        if (!force && status is OciStatus.Running or OciStatus.Paused)
        {
            throw new EngineException($"cannot delete container {id} that is not stopped: {OciRuntimeRoot.Text(status)}", OciRuntimeRoot.ErrorExit);
        }

        if (status != OciStatus.Stopped)
        {
            KillAndWait(state);
        }

        Destroy(state);
    }

    public void Pause(string id, bool frozen)
    {
        var state = root.Load(id);
        var status = OciRuntimeRoot.StatusOf(state);
        if (frozen && status != OciStatus.Running)
        {
            throw new EngineException(status == OciStatus.Paused ? "container already paused" : "container not running", OciRuntimeRoot.ErrorExit);
        }

        if (!frozen && status != OciStatus.Paused)
        {
            throw new EngineException("container not paused", OciRuntimeRoot.ErrorExit);
        }

        OciRuntimeRoot.Cgroup(state).Freeze(frozen);
        root.Save(state with { Paused = frozen });
    }

    /// <summary>The pids in the container's cgroup (runc ps).</summary>
    public IReadOnlyList<int> Pids(string id)
    {
        var state = root.Load(id);
        return OciRuntimeRoot.StatusOf(state) == OciStatus.Stopped && !Directory.Exists(root.ContainerDirectory(id))
            ? []
            : OciRuntimeRoot.Cgroup(state).Pids();
    }

    private static void KillAndWait(OciContainerState state)
    {
        var cgroup = OciRuntimeRoot.Cgroup(state);
        LibC.kill(state.Pid, 9);
        cgroup.Kill(9);
        if (state.Paused)
        {
            cgroup.Freeze(false);
        }

        using var watch = new ProcessExitWatch(state.Pid);
        var deadline = DateTime.UtcNow + KillWait;
        while (ProcessLiveness.IsAlive(state.Pid, state.PidStartTime))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new EngineException("container init still running", OciRuntimeRoot.ErrorExit);
            }

            watch.Wait(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>What is left of a container that no longer runs: its cgroup (any straggler killed), then its directory.</summary>
    private void Destroy(OciContainerState state)
    {
        var cgroup = OciRuntimeRoot.Cgroup(state);
        cgroup.Kill(9);
        cgroup.Destroy();
        root.Remove(state.Id);
        try
        {
            // runc logs a failing poststop hook and goes on: the container is gone either way.
            OciBundle.Load(state.Bundle, state.Id).Hooks.Run("poststop", state.Id, 0, state.Bundle, "stopped", state.Annotations);
        }
        catch (Exception e) when (e is EngineException or LinuxException or IOException)
        {
            // Nothing is left to undo, and delete must succeed for its caller to forget the container.
        }
    }

    private static string? ReadLine(int fd)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = Sys.ReadFull(fd, buffer.AsSpan(length, 1));
            if (n <= 0 || buffer[length] == (byte)'\n')
            {
                return n <= 0 && length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
            }

            length++;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
