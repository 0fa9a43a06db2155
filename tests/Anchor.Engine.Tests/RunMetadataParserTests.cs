using Anchor.Engine.Containers;
using Anchor.Engine.Images;
using Anchor.Engine.Run;
using Anchor.Engine.Volumes;

namespace Anchor.Engine.Tests;

/// <summary>
/// --label/--label-file, -a, --platform, --volumes-from, --stop-timeout and --cidfile against
/// docker/cli's parsers (opts.ValidateLabel, ReadKVStrings, validateAttach, containerd's
/// platforms.Parse) and the daemon's rules (label merge, ParseVolumesFrom, registerMountPoints).
/// </summary>
public sealed class RunMetadataParserTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-meta-" + Guid.NewGuid().ToString("N"));

    public RunMetadataParserTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string text)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void LabelCollect_FilesThenFlags_LaterWins_BareFileLineDropped_BareFlagEmpty()
    {
        var first = WriteFile("# comment\n\n  a=from-file\nbare\nb=x=y\n");
        var second = WriteFile("a=second-file\n");
        var labels = LabelSet.Collect([first, second], ["c", "d=4"]);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "second-file", ["b"] = "x=y", ["c"] = "", ["d"] = "4" }, labels);
    }

    [Fact]
    public void LabelCollect_FlagOverridesFile()
    {
        var file = WriteFile("k=file\n");
        Assert.Equal("flag", LabelSet.Collect([file], ["k=flag"])["k"]);
    }

    [Theory]
    [InlineData("=v", "invalid argument \"=v\" for \"-l, --label\" flag: invalid label '=v': empty name")]
    [InlineData("  =v", "invalid argument \"  =v\" for \"-l, --label\" flag: invalid label '  =v': empty name")]
    [InlineData("a b=v", "invalid argument \"a b=v\" for \"-l, --label\" flag: label 'a b' contains whitespaces")]
    public void LabelValidate_BadName_DockersMessageAnd125(string value, string message)
    {
        var e = Assert.Throws<EngineException>(() => LabelSet.Collect([], [value]));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void LabelCollect_BadFile_PrefixedWithTheFlag()
    {
        var file = WriteFile("bad key=1\n");
        var e = Assert.Throws<EngineException>(() => LabelSet.Collect([file], []));
        Assert.Equal($"invalid env file ({file}): variable 'bad key' contains whitespaces", e.Message);
        var missing = Assert.Throws<EngineException>(() => LabelSet.Collect([Path.Combine(_dir, "none")], []));
        Assert.Equal($"open {Path.Combine(_dir, "none")}: no such file or directory", missing.Message);
    }

    [Fact]
    public void LabelMerge_ContainerWinsImageFillsTheRest()
    {
        var merged = LabelSet.Merge(new Dictionary<string, string> { ["a"] = "image", ["b"] = "image" }, new Dictionary<string, string> { ["a"] = "run" });
        Assert.Equal(new Dictionary<string, string> { ["a"] = "run", ["b"] = "image" }, merged);
        Assert.Empty(LabelSet.Merge(null, null));
    }

    [Theory]
    [InlineData("stdin", "stdin")]
    [InlineData("STDOUT", "stdout")]
    [InlineData("StdErr", "stderr")]
    public void AttachParse_CaseInsensitive_LowerCase(string value, string expected) => Assert.Equal(expected, AttachStreams.Parse(value));

    [Fact]
    public void AttachParse_Unknown_DockersMessage()
    {
        var e = Assert.Throws<EngineException>(() => AttachStreams.Parse("stdio"));
        Assert.Equal("invalid argument \"stdio\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR", e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void AttachStreams_DefaultsAndInteractive()
    {
        var none = new RunOptions { Image = "x" };
        Assert.True(AttachStreams.AttachesStdout(none) && AttachStreams.AttachesStderr(none) && !AttachStreams.AttachesStdin(none));
        var errOnly = none with { Attach = ["stderr"] };
        Assert.True(!AttachStreams.AttachesStdout(errOnly) && AttachStreams.AttachesStderr(errOnly));
        Assert.True(AttachStreams.AttachesStdin(errOnly with { Interactive = true }));
        Assert.True(AttachStreams.AttachesStdin(none with { Attach = ["stdin"] }));
    }

    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("amd64", "linux/amd64")]
    [InlineData("aarch64", "linux/arm64")]
    [InlineData("Linux/ARM64/v8", "linux/arm64")]
    [InlineData("linux/arm/v6", "linux/arm/v6")]
    public void PlatformParse_NormalisesAsContainerd(string value, string expected) =>
        Assert.Equal(expected, PlatformArgument.Format(PlatformArgument.Parse(value)));

    [Theory]
    [InlineData("foo", "error parsing specified platform: \"foo\": unknown operating system or architecture: invalid argument")]
    [InlineData("linux/", "error parsing specified platform: \"\" is an invalid component of \"linux/\": platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument")]
    [InlineData("a/b/c/d", "error parsing specified platform: \"a/b/c/d\": cannot parse platform specifier: invalid argument")]
    public void PlatformParse_Invalid_ContainerdsMessage(string value, string message) =>
        Assert.Equal(message, Assert.Throws<EngineException>(() => PlatformArgument.Parse(value)).Message);

    [Fact]
    public void PlatformMatches_ImageArchitectureNormalised()
    {
        Assert.True(PlatformArgument.Matches(PlatformArgument.Parse("linux/amd64"), "linux", "x86_64"));
        Assert.False(PlatformArgument.Matches(PlatformArgument.Parse("linux/arm64"), "linux", "amd64"));
    }

    [Theory]
    [InlineData(null, null, 10)]
    [InlineData(null, 3, 3)]
    [InlineData(0, 3, 0)]
    [InlineData(-1, null, -1)]
    public void StopTimeout_FlagThenContainerThenTen(int? requested, int? container, int expected) =>
        Assert.Equal(expected, StopTimeouts.Effective(requested, new RunOptions { Image = "x", StopTimeout = container }));

    [Fact]
    public void CidFile_Existing_Refused_Unwritten_Removed_Written_Kept()
    {
        var path = Path.Combine(_dir, "cid");
        using (CidFile.Reserve(path))
        {
            Assert.True(File.Exists(path));
            var e = Assert.Throws<EngineException>(() => CidFile.Reserve(path));
            Assert.Equal($"container ID file found, make sure the other container isn't running or delete {path}", e.Message);
        }

        Assert.False(File.Exists(path));
        using (var cid = CidFile.Reserve(path))
        {
            cid.Write("abc123");
        }

        Assert.Equal("abc123", File.ReadAllText(path));
        var missingDir = Path.Combine(_dir, "no", "cid");
        Assert.Equal($"failed to create the container ID file: open {missingDir}: no such file or directory",
            Assert.Throws<EngineException>(() => CidFile.Reserve(missingDir)).Message);
    }

    [Theory]
    [InlineData("c:bogus", "invalid mode: bogus")]
    [InlineData("c:ro,rw", "invalid mode: ro,rw")]
    [InlineData("c:rprivate", "invalid mode: rprivate")]
    [InlineData("", "volumes-from specification cannot be an empty string")]
    public void VolumesFromValidate_BadMode_DockersMessage(string value, string message) =>
        Assert.Equal(message, Assert.Throws<EngineException>(() => VolumesFrom.Validate(value)).Message);

    [Fact]
    public void VolumesFromMerge_CopiesVolumesAndBinds_OwnMountsWin_RoApplies()
    {
        var store = new ContainerStore(new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run")));
        var source = store.Create(TestRecords.Named("data") with
        {
            Mounts =
            [
                new MountPoint(MountSpec.Volume, "anon1", "/v/anon1/_data", "/anon", ReadWrite: true, Anonymous: true),
                new MountPoint(MountSpec.Bind, null, "/host", "/bind", ReadWrite: false),
                new MountPoint(MountSpec.Volume, "shadowed", "/v/shadowed/_data", "/mine", ReadWrite: true),
                new MountPoint(MountSpec.Tmpfs, null, "", "/scratch", ReadWrite: true),
            ],
        });
        MountSpec own = new(MountSpec.Bind, "/other", "/mine", false, []);

        var merged = VolumesFrom.Merge(store, ["data"], [own]);
        Assert.Equal(3, merged.Count);
        Assert.Contains(new MountSpec(MountSpec.Volume, "anon1", "/anon", false, [], NoCopy: true), merged, MountComparer.Instance);
        Assert.Contains(new MountSpec(MountSpec.Bind, "/host", "/bind", true, []), merged, MountComparer.Instance);
        Assert.Contains(own, merged);

        var readOnly = VolumesFrom.Merge(store, [source.Id[..12] + ":ro"], []);
        Assert.All(readOnly, m => Assert.True(m.ReadOnly));
        var e = Assert.Throws<EngineException>(() => VolumesFrom.Merge(store, ["nosuch"], []));
        Assert.Equal(("No such container: nosuch", 125), (e.Message, e.ExitCode));
    }

    /// <summary>Records compare their lists by reference: compare mounts by their values.</summary>
    private sealed class MountComparer : IEqualityComparer<MountSpec>
    {
        public static readonly MountComparer Instance = new();

        public bool Equals(MountSpec? x, MountSpec? y) =>
            x is not null && y is not null && (x.Type, x.Source, x.Target, x.ReadOnly, x.NoCopy) == (y.Type, y.Source, y.Target, y.ReadOnly, y.NoCopy);

        public int GetHashCode(MountSpec obj) => obj.Target.GetHashCode(StringComparison.Ordinal);
    }
}
