using Anchor.Cli.Commands;

namespace Anchor.Cli.Tests;

public sealed class CommandCatalogTests
{
    [Fact]
    public void Verbs_NamesAreTheCommandsNames() =>
        Assert.All(CommandCatalog.Verbs, v => Assert.Equal(v.Name, v.Create().Name));

    [Fact]
    public void For_AVerbAfterGlobalOptions_BuildsOnlyThatCommand()
    {
        var commands = CommandCatalog.For(["--root", "/r", "--runroot=/x", "-D", "run", "--rm", "busybox", "ps"]).ToList();
        Assert.Equal("run", Assert.Single(commands).Name);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("nosuchverb")]
    public void For_NoKnownVerb_BuildsEveryCommand(string arg) =>
        Assert.Equal(CommandCatalog.Verbs.Count, CommandCatalog.For([arg]).Count());

    [Theory]
    [InlineData("run -h myhost busybox", false)]
    [InlineData("--root /r create -h myhost busybox", false)]
    [InlineData("container run -h myhost busybox", false)]
    [InlineData("container create -h myhost busybox", false)]
    [InlineData("ps -h", true)]
    [InlineData("container ls -h", true)]
    [InlineData("exec -h", true)]
    [InlineData("-h", true)]
    public void ShortH_IsHelpExceptInRunAndCreate(string line, bool help)
    {
        var args = line.Split(' ');
        Assert.Equal(help, CommandCatalog.IsHelpToken("-h", args));
        Assert.True(CommandCatalog.IsHelpToken("--help", args));
    }
}
