using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Health;

/// <summary>
/// The health checks of one running container, on a thread of the process that owns it (the
/// monitor of a detached container, the <c>anchor run</c> of a foreground one: docker checks every
/// running container). It records State.Health as starting, then runs the probe on its interval
/// (<see cref="HealthProbe.NextDelay"/>) and applies each result (<see cref="HealthStateMachine"/>)
/// to the record through <see cref="ContainerStore.Modify"/>, so the write is atomic and never
/// loses another command's change. <see cref="Stop"/> ends it and records the stopped state.
/// </summary>
public sealed class HealthMonitor
{
    private readonly object _lock = new();
    private readonly ContainerStore _containers;
    private readonly string _id;
    private readonly int _pid;
    private readonly DateTimeOffset _startedAt;
    private readonly HealthProbe _probe;
    private readonly Spec _spec;
    private readonly Anchor.Runtime.Launch.LaunchContext _context;
    private readonly Runtime.Cgroups.ICgroupManager _cgroup;
    private ContainerHealth _health;
    private bool _stopped;
    private BackgroundWork? _thread;

    private HealthMonitor(AnchorPaths paths, ContainerStore containers, ContainerRecord record, int pid, DateTimeOffset startedAt, HealthProbe probe, Spec spec)
    {
        _containers = containers;
        _id = record.Id;
        // The container's own group, under its --cgroup-parent if it has one (fixed for its life).
        _cgroup = Resources.ContainerCgroup.Of(record);
        _pid = pid;
        _startedAt = startedAt;
        _probe = probe;
        _spec = spec;
        _context = paths.LaunchContext;
        _health = HealthStateMachine.Started(record.Health);
    }

    /// <summary>Whether the container has a health check to run (its effective one is not none).</summary>
    public static bool Configured(ContainerRecord record) => HealthProbe.From(record?.Healthcheck, record?.Shell) is not null;

    /// <summary>
    /// State.Health as the record says running: starting when there is a check (so nobody sees a
    /// running container without it), else unchanged.
    /// </summary>
    public static ContainerHealth? AtStart(ContainerRecord record) =>
        Configured(record) ? HealthStateMachine.Started(record.Health) : record.Health;

    /// <summary>
    /// Starts checking the container whose init is <paramref name="pid"/>, or returns null when its
    /// effective health check is none. The record must already say running, with <see cref="AtStart"/>.
    /// </summary>
    public static HealthMonitor? Start(AnchorPaths paths, ContainerStore containers, ContainerRecord record, int pid, DateTimeOffset startedAt, Spec spec)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (HealthProbe.From(record.Healthcheck, record.Shell) is not { } probe)
        {
            return null;
        }

        var monitor = new HealthMonitor(paths, containers, record, pid, startedAt, probe, spec);
        monitor._thread = BackgroundWork.Start(monitor.Loop, "anchor-health");
        return monitor;
    }

    /// <summary>Ends the checks (waits for a probe under way: the container's exit ends it) and records docker's stopped state; returns it.</summary>
    public ContainerHealth Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            System.Threading.Monitor.PulseAll(_lock);
        }

        _thread?.WaitQuietly();
        lock (_lock)
        {
            // Not a probe's result: docker emits no health_status event for it.
            _health = HealthStateMachine.Stopped(_health);
            Save();
            return _health;
        }
    }

    private void Loop()
    {
        while (true)
        {
            lock (_lock)
            {
                if (!_stopped)
                {
                    System.Threading.Monitor.Wait(_lock, _probe.NextDelay(DateTimeOffset.UtcNow - _startedAt, _health.Status));
                }

                if (_stopped)
                {
                    return;
                }
            }

            var result = HealthCheck.Run(_cgroup, _pid, _spec, _probe, _context);
            lock (_lock)
            {
                // A probe that ended with the container is no result (docker ignores a probe
                // cancelled while it waited for the container's lock).
                if (_stopped)
                {
                    return;
                }

                var before = _health.Status;
                _health = HealthStateMachine.Apply(_health, result, _startedAt, _probe.StartPeriod, _probe.Retries);
                Save();
                if (_health.Status != before)
                {
                    OnHealthStatusChanged(_containers, _id, _health.Status);
                }
            }
        }
    }

    /// <summary>Writes the current state into the record (called under the lock, or before the thread starts).</summary>
    private void Save()
    {
        var health = _health;
        _containers.Modify(_id, r => r with { Health = health }, durable: false);
    }

    /// <summary>
    /// The one place a probe's result changes a container's health status (to healthy or unhealthy),
    /// after the record says so: where docker emits its <c>health_status: STATUS</c> event (moby
    /// handleProbeResult; the reset to starting at a start and to unhealthy at the exit emit none).
    /// </summary>
    private static void OnHealthStatusChanged(ContainerStore containers, string id, string status)
    {
        PhaseTrace.Mark($"health: {id[..12]} {status}");
        if (containers.Get(id) is { } record)
        {
            Events.EventLog.Emit(containers.Paths, Events.EventLog.Container(record, "health_status: " + status));
        }
    }
}
