using Anchor.Engine.Containers;

namespace Anchor.Engine.Tests;

/// <summary>Container records for tests of the store: a fresh ID, the given name, nothing else set.</summary>
internal static class TestRecords
{
    public static ContainerRecord Named(string name) => new()
    {
        Id = ContainerId.New(),
        Name = name,
        Image = "busybox",
        ImageId = "sha256:0",
        Created = DateTimeOffset.UnixEpoch,
    };
}
