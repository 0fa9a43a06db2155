using Anchor.Engine.OciRuntime;
using Anchor.Linux;

namespace Anchor.Engine.Tests.OciRuntime;

/// <summary>
/// The ID's claim: a directory without a state file is reclaimed only when nobody holds it (its
/// create or run and the holder are dead), so a killed create never takes the ID for ever and a
/// create at work is never taken from.
/// </summary>
public sealed class OciRuntimeRootClaimTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-ociroot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Claim_HeldByItsCreatorAndAHolder_IsNotReclaimedAndTheIdStaysTaken()
    {
        var root = new OciRuntimeRoot(_dir);
        using (var claim = root.Claim("c1", "/anchor-unit-test-none/c1"))
        {
            // The holder's hold, shared with its create's.
            using var holder = DirectoryLock.AcquireShared(root.ContainerDirectory("c1"));
            Assert.NotNull(holder);
            Assert.False(root.ReclaimAbandoned("c1"));
            Assert.Equal("container with given ID already exists", Assert.Throws<EngineException>(() => root.Claim("c1", "/x")).Message);
            Assert.Empty(root.List());
        }

        Assert.True(Directory.Exists(root.ContainerDirectory("c1")));
    }

    [Fact]
    public void Claim_LeftByADeadCreator_IsReclaimedByListAndTheNextClaim()
    {
        var root = new OciRuntimeRoot(_dir);
        root.Claim("c2", "/anchor-unit-test-none/c2").Dispose(); // its creator died before the state
        using (root.Claim("c3", "/anchor-unit-test-none/c3"))
        {
            Assert.Empty(root.List());
            Assert.False(Directory.Exists(root.ContainerDirectory("c2")));
            Assert.True(Directory.Exists(root.ContainerDirectory("c3")));
        }

        root.Claim("c2", "/anchor-unit-test-none/c2").Dispose();
        using var again = root.Claim("c2", "/anchor-unit-test-none/c2");
        Assert.True(Directory.Exists(root.ContainerDirectory("c2")));
    }
}
