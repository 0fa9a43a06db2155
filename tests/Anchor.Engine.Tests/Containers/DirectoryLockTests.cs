using Anchor.Linux;

namespace Anchor.Engine.Tests.Containers;

/// <summary>The container directory's lock: held means someone is setting the container up; moved away means gone.</summary>
public sealed class DirectoryLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-dirlock-" + Guid.NewGuid().ToString("N"));

    public DirectoryLockTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Create_MakesAndHoldsTheDirectory_OthersCannotTakeIt()
    {
        var path = Path.Combine(_dir, "c1");
        using (var held = DirectoryLock.Create(path, 0x1C0))
        {
            Assert.True(Directory.Exists(path));
            Assert.Null(DirectoryLock.TryAcquire(path));
        }

        using var again = DirectoryLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void Create_ExistingDirectory_Throws()
    {
        var path = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(path);
        Assert.Throws<LinuxException>(() => DirectoryLock.Create(path, 0x1C0));
    }

    [Fact]
    public async Task Acquire_DirectoryMovedAwayByTheHolder_ReturnsNull()
    {
        var path = Path.Combine(_dir, "c2");
        var holder = DirectoryLock.Create(path, 0x1C0);
        var waiter = Task.Run(() => DirectoryLock.Acquire(path));
        await Task.Delay(100);
        Assert.False(waiter.IsCompleted, "the lock was handed out while held");
        Directory.Move(path, Path.Combine(_dir, "trashed"));
        holder.Dispose();
        Assert.Null(await waiter.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void TryAcquire_MissingDirectory_ReturnsNull() =>
        Assert.Null(DirectoryLock.TryAcquire(Path.Combine(_dir, "nothing")));

    [Fact]
    public void Dispose_Twice_IsHarmless()
    {
        var held = DirectoryLock.Create(Path.Combine(_dir, "c3"), 0x1C0);
        held.Dispose();
        held.Dispose();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
