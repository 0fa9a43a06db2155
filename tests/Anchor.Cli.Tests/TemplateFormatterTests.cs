using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Tests;

public sealed class TemplateFormatterTests
{
    private static TemplateObject Container(string id, string names, string image, string status)
    {
        var row = new TemplateObject { TypeName = "*formatter.ContainerContext" };
        row["ID"] = id;
        row["Names"] = names;
        row["Image"] = image;
        row["Status"] = status;
        row["Ports"] = "";
        return row;
    }

    private static string Render(string format, TemplateObject headers, params TemplateObject[] rows)
    {
        var formatter = TemplateFormatter.Create(format, headers);
        foreach (var row in rows)
        {
            formatter.Add(row);
        }

        return formatter.Render();
    }

    [Fact]
    public void Table_PrintsDockersHeadersAndAlignsColumns()
    {
        var output = Render(
            "table {{.ID}}\t{{.Names}}\t{{.Status}}",
            DockerHeaders.Containers(),
            Container("4f1c2d3e4f5a", "web", "busybox", "Up 2 minutes"),
            Container("0a1b2c3d4e5f", "a-much-longer-name", "busybox", "Exited (0) 1 second ago"));
        Assert.Equal(
            "CONTAINER ID   NAMES                STATUS\n" +
            "4f1c2d3e4f5a   web                  Up 2 minutes\n" +
            "0a1b2c3d4e5f   a-much-longer-name   Exited (0) 1 second ago\n",
            output);
    }

    [Fact]
    public void Table_ShortColumns_AreAtLeastTenWide()
    {
        // docker: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) gives "PORTS     NAMES".
        var output = Render("table {{.Ports}}\t{{.Names}}", DockerHeaders.Containers(), Container("1", "web", "busybox", "Up"));
        Assert.Equal("PORTS     NAMES\n          web\n", output);
    }

    [Fact]
    public void Table_ImageHeaders_AreChosenPerCommand()
    {
        var image = new TemplateObject { ["ID"] = "sha256:abc", ["Repository"] = "busybox", ["Tag"] = "latest", ["CreatedSince"] = "2 days ago" };
        var output = Render("table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}", DockerHeaders.Images(), image);
        Assert.Equal("REPOSITORY:TAG   IMAGE ID     CREATED\nbusybox:latest   sha256:abc   2 days ago\n", output);
    }

    [Fact]
    public void Table_HeaderFunctions_KeepTheColumnTitle()
    {
        var output = Render("table {{upper .Names}}\t{{lower .Image}}", DockerHeaders.Containers(), Container("1", "web", "BusyBox", "Up"));
        Assert.Equal("NAMES     IMAGE\nWEB       busybox\n", output);
    }

    [Fact]
    public void Table_WithoutRows_PrintsTheHeader() =>
        Assert.Equal("CONTAINER ID   IMAGE\n", Render("table {{.ID}}\t{{.Image}}", DockerHeaders.Containers()));

    [Fact]
    public void Plain_PrintsOneLinePerRow_AndExpandsBackslashT() =>
        Assert.Equal(
            "1\tweb\n2\tdb\n",
            Render("{{.ID}}\\t{{.Names}}", DockerHeaders.Containers(), Container("1", "web", "b", "Up"), Container("2", "db", "b", "Up")));

    [Fact]
    public void Json_PrintsOneObjectPerLine()
    {
        var output = Render("json", DockerHeaders.Containers(), Container("1", "web", "b<>", "Up"));
        Assert.Equal("{\"ID\":\"1\",\"Names\":\"web\",\"Image\":\"b<>\",\"Status\":\"Up\",\"Ports\":\"\"}\n", output);
    }

    [Fact]
    public void Create_BadTemplate_HasDockersPrefix() => Assert.Equal(
        "template parsing error: template: :1: function \"nope\" not defined",
        Assert.Throws<TemplateException>(() => TemplateFormatter.Create("{{nope .ID}}")).Message);

    [Fact]
    public void Add_UnknownField_HasDockersPrefix() => Assert.Equal(
        "template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.ContainerContext",
        Assert.Throws<TemplateException>(() => Render("{{.Nope}}", DockerHeaders.Containers(), Container("1", "w", "b", "Up"))).Message);

    [Fact]
    public void FormatInspect_MissingKey_IsAnError() => Assert.Equal(
        "template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"",
        Assert.Throws<TemplateException>(() => TemplateFormatter.FormatInspect("{{.Nope}}", Data.Inspect)).Message);

    [Fact]
    public void FormatInspect_AppendsNewline() =>
        Assert.Equal("0\n", TemplateFormatter.FormatInspect("{{.State.ExitCode}}", Data.Inspect));

    [Theory]
    [InlineData("a\tb\nccc\td\n", "a         b\nccc       d\n")]
    [InlineData("aaaaaaaaaaaa\tb\n", "aaaaaaaaaaaa   b\n")]
    [InlineData("a\tb\nno tabs\nc\td\n", "a         b\nno tabs\nc         d\n")]
    [InlineData("x\t", "x")]
    [InlineData("x\t\n", "x         \n")]
    public void TabWriter_LaysOutLikeGo(string input, string expected) => Assert.Equal(expected, TabWriter.Format(input));
}
