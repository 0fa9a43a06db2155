using Anchor.Engine.Run;

namespace Anchor.Engine.Tests;

public sealed class RunPrestartTests
{
    [Theory]
    [InlineData("run --rm --network none busybox true")]
    [InlineData("--root /x --runroot /y run busybox")]
    [InlineData("run --network mynet busybox")]
    [InlineData("run --network=bridge -e A=b busybox ls -l")]
    [InlineData("run -i --rm busybox cat")]
    public void DefaultNamespaces_AreLikely(string line) =>
        Assert.True(RunPrestart.DefaultNamespacesLikely(line.Split(' ')));

    [Theory]
    [InlineData("run --network host busybox")]
    [InlineData("run --net=host busybox")]
    [InlineData("run --network=container:web busybox")]
    [InlineData("run --net container:web busybox")]
    [InlineData("run -it busybox sh")]
    [InlineData("run -d busybox sleep 1")]
    [InlineData("run --tty busybox")]
    [InlineData("run --detach=true busybox")]
    public void OtherNamespacesOrTheInitStage_AreNot(string line) =>
        Assert.False(RunPrestart.DefaultNamespacesLikely(line.Split(' ')));
}
