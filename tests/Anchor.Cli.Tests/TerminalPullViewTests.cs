using Anchor.Cli.Output;

namespace Anchor.Cli.Tests;

public sealed class TerminalPullViewTests
{
    [Theory]
    [InlineData(0, 100, "[>                                                  ]       0B/100B")]
    [InlineData(50, 100, "[=========================>                         ]      50B/100B")]
    [InlineData(100, 100, "[==================================================>]     100B/100B")]
    public void Bar_DrawsDockersProgressBar(long bytes, long total, string expected) =>
        Assert.Equal(expected, TerminalPullView.Bar(bytes, total));

    [Fact]
    public void Status_RedrawsEachLayerInPlace()
    {
        var output = new StringWriter();
        var view = new TerminalPullView(output);
        view.Status("aaa", "Pulling fs layer");
        view.Status("bbb", "Pulling fs layer");
        view.Status("aaa", "Pull complete");
        var text = output.ToString();
        // The third frame moves up over the two lines drawn before and rewrites both.
        Assert.Contains("\u001b[2A", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\u001b[2Kaaa: Pull complete\n\r\u001b[2Kbbb: Pulling fs layer\n", text, StringComparison.Ordinal);
    }
}
