using System.Text.Json;
using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary>images, image ls, image inspect, tag, rmi.</summary>
[Collection(AnchorCollection.Name)]
public sealed partial class ImagesTests(AnchorFixture anchor)
{
    /// <summary>The rows of `images` as (repository, tag, image id).</summary>
    public static List<(string Repository, string Tag, string Id)> ImageRows(AnchorFixture anchor, params string[] extra)
    {
        var result = anchor.Anchor(new[] { "images" }.Concat(extra));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.Matches(Header(), lines[0]);
        return lines.Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => Columns().Split(l.Trim()))
            .Select(c => (c[0], c[1], c[2]))
            .ToList();
    }

    public static List<string> QuietIds(AnchorFixture anchor)
    {
        var result = anchor.Anchor(["images", "-q"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Images_ListsBusyboxLatestWithShortId()
    {
        var rows = ImageRows(anchor);
        var busybox = rows.SingleOrDefault(r => r.Repository == "busybox" && r.Tag == "latest");
        Assert.True(busybox != default, "busybox latest not listed: " + string.Join("; ", rows));
        Assert.Matches(AnchorFixture.ShortId(), busybox.Id);
    }

    [Fact]
    public void ImageLs_IsImages()
    {
        var result = anchor.Anchor(["image", "ls"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("busybox", result.Stdout);
    }

    [Fact]
    public void ImagesQuiet_PrintsShortIdsOnly()
    {
        var ids = QuietIds(anchor);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Matches(AnchorFixture.ShortId(), id));
        var busybox = ImageRows(anchor).Single(r => r.Repository == "busybox" && r.Tag == "latest");
        Assert.Contains(busybox.Id, ids);
    }

    [Fact]
    public void Tag_AddsAReferenceToTheSameImage_RmiUntagsIt()
    {
        var tag = anchor.Anchor(["tag", "busybox", "mybox:1"]);
        Assert.True(tag.ExitCode == 0, tag.ToString());
        try
        {
            var rows = ImageRows(anchor);
            var busybox = rows.Single(r => r.Repository == "busybox" && r.Tag == "latest");
            var mybox = rows.SingleOrDefault(r => r.Repository == "mybox" && r.Tag == "1");
            Assert.True(mybox != default, "mybox:1 not listed: " + string.Join("; ", rows));
            Assert.Equal(busybox.Id, mybox.Id);

            var run = anchor.Anchor(["run", "--rm", "mybox:1", "echo", "ok"]);
            Assert.True(run.ExitCode == 0 && run.Out == "ok", run.ToString());

            var rmi = anchor.Anchor(["rmi", "mybox:1"]);
            Assert.True(rmi.ExitCode == 0, rmi.ToString());
            Assert.Contains("Untagged: mybox:1", rmi.Stdout);
            // The image stays: busybox:latest still refers to it.
            Assert.DoesNotContain("Deleted", rmi.Stdout);
            rows = ImageRows(anchor);
            Assert.DoesNotContain(rows, r => r.Repository == "mybox");
            Assert.Contains(rows, r => r.Repository == "busybox" && r.Id == busybox.Id);
        }
        finally
        {
            anchor.Anchor(["rmi", "mybox:1"]);
        }
    }

    [Fact]
    public void ImageInspect_IsAJsonArrayWithIdTagsAndCmd()
    {
        var result = anchor.Anchor(["image", "inspect", "busybox"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        Assert.Equal(1, doc.RootElement.GetArrayLength());
        var image = doc.RootElement[0];
        Assert.Matches("^sha256:[0-9a-f]{64}$", image.GetProperty("Id").GetString());
        Assert.Contains("busybox:latest", image.GetProperty("RepoTags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["sh"], image.GetProperty("Config").GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("linux", image.GetProperty("Os").GetString());

        // The short ID of `images` is the start of the hex of Id.
        var shortId = ImageRows(anchor).Single(r => r.Repository == "busybox" && r.Tag == "latest").Id;
        Assert.StartsWith("sha256:" + shortId, image.GetProperty("Id").GetString());
    }

    [Fact]
    public void Inspect_TopLevelVerb_InspectsImages()
    {
        var result = anchor.Anchor(["inspect", "busybox:latest"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(1, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public void ImageInspect_Unknown_FailsWithEmptyArray()
    {
        var result = anchor.Anchor(["image", "inspect", "nosuchimage"]);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("nosuchimage", result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(0, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public void Rmi_Unknown_Fails()
    {
        var before = QuietIds(anchor);
        var result = anchor.Anchor(["rmi", "nosuch"]);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("nosuch", result.Stderr);
        Assert.Equal(before, QuietIds(anchor));
    }

    [GeneratedRegex(@"^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();
}
