using Anchor.Engine.Containers;

namespace Anchor.Engine.Top;

/// <summary>
/// <c>top</c>: a running or paused container's processes (its cgroup's, as host PIDs) in the
/// columns the ps options name, read from /proc (<see cref="PsFormat"/>, <see cref="PsColumns"/>).
/// The CLI prints it as a table, the API as docker's {"Titles", "Processes"}.
/// </summary>
public sealed record ContainerTop(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Processes)
{
    public static ContainerTop Of(AnchorEngine engine, string container, IReadOnlyList<string> psArgs)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var columns = PsFormat.Parse(psArgs);
        if (!columns.Any(c => c.Key == "pid"))
        {
            // docker finds the PID column to keep the container's rows only.
            throw EngineException.Daemon(EngineErrorKind.Internal, "Couldn't find PID field in ps output", 1);
        }

        var record = ProcessLiveness.Refresh(engine.Containers.Find(container));
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"container {record.Id} is not running", 1);
        }

        return OfPids(Resources.ContainerCgroup.Of(record).Pids(), columns);
    }

    /// <summary>The rows of <paramref name="pids"/> (a cgroup's) in the given columns (runc ps uses it too).</summary>
    public static ContainerTop OfPids(IReadOnlyList<int> pids, IReadOnlyList<(string Key, string Header)> columns)
    {
        ArgumentNullException.ThrowIfNull(pids);
        ArgumentNullException.ThrowIfNull(columns);
        var ps = new PsColumns(DateTimeOffset.Now);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var pid in pids.Order())
        {
            if (ProcessSnapshot.Read(pid) is { } process)
            {
                rows.Add([.. columns.Select(c => ps.Value(c.Key, process))]);
            }
        }

        return new ContainerTop([.. columns.Select(c => c.Header)], rows);
    }
}
