using Anchor.Engine.Containers;
using Anchor.Linux;

namespace Anchor.Engine.Tests.Containers;

/// <summary>
/// What a killed command leaves in ROOT/containers: a directory nobody holds and without a record
/// goes; one being set up (held) or recorded stays; an abandoned record is reclaimed.
/// </summary>
public sealed class ContainerSweeperTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-sweep-" + Guid.NewGuid().ToString("N"));
    private readonly AnchorPaths _paths;
    private readonly ContainerStore _store;
    private readonly ContainerSweeper _sweeper;

    public ContainerSweeperTests()
    {
        _paths = new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        _store = new ContainerStore(_paths);
        _sweeper = new ContainerSweeper(_paths, _store, reap: false);
    }

    private static bool IsRoot => Linux.Interop.LibC.geteuid() == 0;

    private static ContainerRecord Record(string name) => TestRecords.Named(name);

    [Fact]
    public void SweepDirectories_UnheldRecordless_Goes_HeldAndRecorded_Stay()
    {
        if (!IsRoot)
        {
            return; // the sweep is root's (cgroups)
        }

        var abandoned = ContainerId.New();
        ContainerClaim.Take(_paths, abandoned).Dispose(); // its creator "died" before the record
        File.WriteAllText(Path.Combine(_paths.ContainerDirectory(abandoned), "hostname"), "x");
        var live = ContainerId.New();
        using var held = ContainerClaim.Take(_paths, live);
        var recorded = _store.Create(Record("kept"));

        _sweeper.SweepDirectories();

        Assert.False(Directory.Exists(_paths.ContainerDirectory(abandoned)));
        Assert.True(Directory.Exists(_paths.ContainerDirectory(live)));
        Assert.NotNull(_store.Get(recorded.Id));
    }

    [Fact]
    public void SweepRecords_ForegroundOwnerGone_RecordedExited137_OrRemovedWithRm()
    {
        if (!IsRoot)
        {
            return;
        }

        var dead = DeadProcess();
        var running = _store.Create(Record("fg") with { Status = ContainerStatus.Running, Pid = dead.Pid, OwnerPid = dead.Pid, OwnerStartTime = dead.StartTime });
        var removed = _store.Create(Record("fg-rm") with { Status = ContainerStatus.Running, Pid = dead.Pid, OwnerPid = dead.Pid, OwnerStartTime = dead.StartTime, AutoRemove = true });
        var self = ContainerClaim.Self();
        var alive = _store.Create(Record("fg-live") with { Status = ContainerStatus.Running, Pid = self.Pid, OwnerPid = self.Pid, OwnerStartTime = self.StartTime });

        var after = _sweeper.SweepRecords(_store.List());

        var exited = Assert.Single(after, r => r.Id == running.Id);
        Assert.Equal(ContainerStatus.Exited, exited.Status);
        Assert.Equal(137, exited.ExitCode);
        Assert.Equal(0, exited.OwnerPid);
        Assert.DoesNotContain(after, r => r.Id == removed.Id);
        Assert.Null(_store.Get(removed.Id));
        Assert.Equal(ContainerStatus.Running, Assert.Single(after, r => r.Id == alive.Id).Status);
    }

    [Fact]
    public void IsAbandoned_OwnerPidReused_CountsAsGone()
    {
        var self = ContainerClaim.Self();
        var record = Record("reused") with { Status = ContainerStatus.Running, Pid = self.Pid, OwnerPid = self.Pid, OwnerStartTime = self.StartTime + 1 };
        Assert.True(ProcessLiveness.IsAbandoned(record));
        Assert.False(ProcessLiveness.IsAbandoned(record with { OwnerStartTime = self.StartTime }));
    }

    /// <summary>The pid and start time of a process that has exited and been reaped.</summary>
    private static (int Pid, long StartTime) DeadProcess()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        var pid = process.Id;
        var start = ProcessLiveness.StartTime(pid) ?? 1;
        process.WaitForExit();
        return (pid, start);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
