namespace Anchor.IntegrationTests;

/// <summary>
/// What history, save, import, load and build print for a missing image, file or context, line
/// for line as docker 20.10 prints it: paths as the user gave them, the daemon's lookups after
/// "Error response from daemon: ".
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ImageRefusalTests(AnchorFixture anchor)
{
    [Fact]
    public void MissingImages_HistoryAddsLatest_SaveTellsBareNamesFromTags()
    {
        var missing = "nosuch-" + Guid.NewGuid().ToString("N")[..8];
        var tar = Path.Combine(anchor.TempDir, missing + ".tar");
        Refused(["history", missing], $"Error response from daemon: No such image: {missing}:latest");
        Refused(["history", missing + ":2"], $"Error response from daemon: No such image: {missing}:2");
        Refused(["save", "-o", tar, missing], $"Error response from daemon: No such image: {missing}");
        Refused(["save", "-o", tar, missing + ":2"], "Error response from daemon: reference does not exist");
        Refused(["save", "-o", tar, AnchorFixture.Image, missing], $"Error response from daemon: No such image: {missing}");
        Assert.False(File.Exists(tar));
    }

    [Fact]
    public void MissingFilesAndContexts_ArePrintedAsGiven()
    {
        var missing = "nosuch-" + Guid.NewGuid().ToString("N")[..8];
        Refused(["import", missing + ".tar", "x:1"], $"open {missing}.tar: no such file or directory");
        Refused(["load", "-i", missing + ".tar"], $"open {missing}.tar: no such file or directory");
        Refused(["build", missing], $"unable to prepare context: path \"{missing}\" not found");

        var file = Path.Combine(anchor.TempDir, missing + "-file");
        File.WriteAllText(file, "not a directory");
        try
        {
            Refused(["build", file], $"unable to prepare context: context must be a directory: {file}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private void Refused(string[] args, string stderr)
    {
        var result = anchor.Anchor(args, timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 1, $"anchor {string.Join(' ', args)}: {result}");
        Assert.Equal(stderr, result.Err);
    }
}
