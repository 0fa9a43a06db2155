namespace Anchor.IntegrationTests;

/// <summary>COPY --exclude, --link and --chmod, and the # syntax= / # check= directives (issue 14, Dockerfile 1.x); ADD --checksum is in BuildRemoteTests.</summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildCopyFlagsTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void ExcludeLinkChmod_AndDirectives_AsDockerfileOneDotX()
    {
        var context = Path.Combine(anchor.TempDir, "copy-flags-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(context, "src", "docs"));
        File.WriteAllText(Path.Combine(context, "src", "main.c"), "int main;\n");
        File.WriteAllText(Path.Combine(context, "src", "README.md"), "readme\n");
        File.WriteAllText(Path.Combine(context, "src", "docs", "guide.md"), "guide\n");
        File.WriteAllText(Path.Combine(context, "home.txt"), "t\n");
        File.WriteAllText(Path.Combine(context, "home.sh"), "echo\n");
        File.WriteAllText(Path.Combine(context, "pkg.bin"), "payload\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"),
            "# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended\nFROM busybox\n" +
            "COPY --exclude=*.md --exclude=docs src/ /src/\n" +
            "COPY --link --exclude=*.txt hom* /mydir/\n" +
            "COPY --chmod=0600 home.txt /private.txt\n" +
            "ADD pkg.bin /pkg.bin\n");
        try
        {
            var build = anchor.Anchor(["build", "-t", "copy-flags:1", context], timeout: BuildTimeout);
            Assert.True(build.ExitCode == 0, build.ToString());
            var run = anchor.Anchor(["run", "--rm", "--network", "none", "copy-flags:1", "sh", "-c", "find /src /mydir | sort; stat -c %a /private.txt; cat /pkg.bin"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("/mydir\n/mydir/home.sh\n/src\n/src/main.c\n600\npayload\n", run.Stdout);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", "copy-flags:1"]);
            Directory.Delete(context, recursive: true);
        }
    }
}
