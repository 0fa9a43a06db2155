using Anchor.Cli.Commands;
using Anchor.Engine;

namespace Anchor.Cli.Tests;

/// <summary>build's <c>--secret</c>, <c>--build-context</c> and <c>--platform</c> parsers (buildx's forms).</summary>
public sealed class BuildFlagParserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-flags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Secret_EnvForms_ReadTheVariable_FileFormsKeepTheFullPath()
    {
        var file = Path.Combine(_dir, "s.txt");
        File.WriteAllText(file, "x");
        var variables = new Dictionary<string, string> { ["TOK"] = "v1", ["IDVAR"] = "v2" };
        var (files, values) = BuildSecretFlag.ParseAll(
            ["id=a,env=TOK", "id=b,type=env,src=TOK", "id=IDVAR", $"id=c,src={file}", $"type=file,id=d,source={file}"],
            n => variables.TryGetValue(n, out var v) ? v : null);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "v1", ["b"] = "v1", ["IDVAR"] = "v2" }, values);
        Assert.Equal(new Dictionary<string, string> { ["c"] = file, ["d"] = file }, files);
    }

    [Fact]
    public void Secret_IdAloneWithoutVariable_IsAFileOfThatName_LaterFlagWins()
    {
        var old = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_dir);
        try
        {
            File.WriteAllText(Path.Combine(_dir, "k"), "x");
            var (files, values) = BuildSecretFlag.ParseAll(["id=k,env=V", "id=k"], n => n == "V" ? "val" : null);
            Assert.Empty(values);
            Assert.Equal(Path.Combine(_dir, "k"), files["k"]);
        }
        finally
        {
            Directory.SetCurrentDirectory(old);
        }
    }

    [Theory]
    [InlineData("id=a,env=UNSET", "secret a: environment variable UNSET is not set")]
    [InlineData("env=TOK", "invalid argument \"env=TOK\" for \"--secret\" flag: secret missing ID")]
    [InlineData("id=a,type=ssh", "invalid argument \"id=a,type=ssh\" for \"--secret\" flag: unexpected key 'type' in 'type=ssh' (anchor reads id=ID,src=FILE or id=ID,env=VAR)")]
    public void Secret_Refusals(string value, string message)
    {
        var e = Assert.Throws<EngineException>(() => BuildSecretFlag.ParseAll([value], n => n == "TOK" ? "v" : null));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void BuildContext_ImageAndDirectory()
    {
        var contexts = BuildContextFlag.ParseAll(["img=docker-image://busybox:1", $"dir={_dir}"]);
        Assert.Equal("docker-image://busybox:1", contexts["img"]);
        Assert.Equal(_dir, contexts["dir"]);
    }

    [Theory]
    [InlineData("noequals", "invalid context value: noequals, expected key=value")]
    [InlineData("=x", "invalid context value: =x, expected key=value")]
    [InlineData("a=", "invalid context value: a=, expected key=value")]
    [InlineData("a=https://example.com/repo.git", "invalid context value: a=https://example.com/repo.git: anchor build takes a local directory or docker-image://REF")]
    [InlineData("a=oci-layout:///tmp/x", "invalid context value: a=oci-layout:///tmp/x: anchor build takes a local directory or docker-image://REF")]
    [InlineData("a=docker-image://", "invalid context value: a=docker-image://: docker-image:// needs an image reference")]
    public void BuildContext_Refusals(string value, string message)
    {
        var e = Assert.Throws<EngineException>(() => BuildContextFlag.ParseAll([value]));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("linux/amd64")]
    [InlineData("linux")]
    [InlineData("LINUX/AMD64")]
    [InlineData("linux/x86_64")]
    [InlineData("linux/amd64/v1")]
    [InlineData("amd64")]
    [InlineData(null)]
    public void Platform_TheHosts_IsAccepted(string? value) => BuildPlatformFlag.Check(value, "amd64");

    [Theory]
    [InlineData("linux/arm64")]
    [InlineData("windows/amd64")]
    [InlineData("linux/amd64/v3")]
    [InlineData("linux/amd64,linux/arm64")]
    public void Platform_Another_IsRefused(string value)
    {
        var e = Assert.Throws<EngineException>(() => BuildPlatformFlag.Check(value, "amd64"));
        Assert.EndsWith("anchor build builds for the host's platform only (linux/amd64)", e.Message, StringComparison.Ordinal);
    }
}
