using Anchor.Engine.Run;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Tests;

/// <summary>The root overlay's options: volatile only for an upper directory that is thrown away.</summary>
public sealed class SpecFactoryRootMountTests
{
    private static SpecMount Root(bool remove) => SpecFactory.Create(new SpecFactory.Inputs(
        new RunOptions { Image = "busybox", Command = ["true"], Remove = remove }, null, ["/layers/2", "/layers/1"],
        new ContainerFiles("/containers/x"), "host", new SpecUser(), "/root", "/anchor/x")).Mounts.Single(m => m.Destination == "/");

    [Fact]
    public void Create_Remove_MountsTheUpperVolatile()
    {
        var root = Root(remove: true);

        Assert.Equal("overlay", root.Type);
        Assert.Contains("volatile", root.Options!);
        Assert.Contains("lowerdir=/layers/2:/layers/1", root.Options!);
    }

    /// <summary>A kept container's upper must survive a crash and mount again: never volatile.</summary>
    [Fact]
    public void Create_Kept_UpperIsNotVolatile() => Assert.DoesNotContain("volatile", Root(remove: false).Options!);

    [Fact]
    public void RootMount_SameOptionsAsTheSpec()
    {
        var files = new ContainerFiles("/containers/x");

        Assert.Equal(["lowerdir=/l", "upperdir=" + files.Upper, "workdir=" + files.Work, "volatile"], SpecFactory.RootMount(["/l"], files, discarded: true).Options!);
        Assert.Equal(["lowerdir=/l", "upperdir=" + files.Upper, "workdir=" + files.Work], SpecFactory.RootMount(["/l"], files, discarded: false).Options!);
    }
}
