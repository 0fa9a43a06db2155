using Anchor.Cli.Output;

namespace Anchor.Cli.Tests;

/// <summary>docker ps's COMMAND: arguments with a space in single quotes, cut to 20 with "…", Go-quoted.</summary>
public sealed class CommandColumnTests
{
    [Theory]
    [InlineData(false, "\"sh -c 'echo out; echo err'\"", "sh", "-c", "echo out; echo err")]
    [InlineData(true, "\"sh -c 'echo out; ec…\"", "sh", "-c", "echo out; echo err")]
    [InlineData(true, "\"top\"", "top")]
    [InlineData(false, "\"echo \\\"x\\\"\"", "echo", "\"x\"")]
    [InlineData(false, "\"\"")]
    public void Of_QuotesAsDocker(bool truncate, string expected, params string[] command) =>
        Assert.Equal(expected, CommandColumn.Of(command, truncate));
}
