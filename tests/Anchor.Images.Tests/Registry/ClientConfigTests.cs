using Anchor.Images.Registry;

namespace Anchor.Images.Tests.Registry;

public sealed class ClientConfigTests
{
    [Fact]
    public void SetCredentials_Save_Load_RoundTripsAndKeepsOtherKeys()
    {
        using var dir = new TempDir();
        var path = dir.Sub("config.json");
        File.WriteAllText(path, """{"credsStore":"","insecure-registries":["reg.lan:5000"],"auths":{"other.io":{"auth":"dTpw"}}}""");
        var config = ClientConfig.Load(path);
        config.SetCredentials("127.0.0.1:5000", new RegistryCredentials("alice", "s3:cret"));
        config.Save();

        var text = File.ReadAllText(path);
        Assert.Contains("\"auth\": \"YWxpY2U6czM6Y3JldA==\"", text, StringComparison.Ordinal);
        Assert.Contains("credsStore", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var again = ClientConfig.Load(path);
        Assert.Equal(new RegistryCredentials("alice", "s3:cret"), again.Credentials("127.0.0.1:5000"));
        Assert.Equal(new RegistryCredentials("u", "p"), again.Credentials("other.io"));
        Assert.Equal(["reg.lan:5000"], again.InsecureRegistries);
        Assert.Null(again.Credentials("nope.io"));
    }

    [Fact]
    public void Credentials_DockerHubKeys_MatchEachOther()
    {
        using var dir = new TempDir();
        var path = dir.Sub("config.json");
        File.WriteAllText(path, """{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"}}}""");
        Assert.Equal(new RegistryCredentials("u", "p"), ClientConfig.Load(path).Credentials(RegistryEndpoint.DockerHubAuthKey));
        Assert.Equal(new RegistryCredentials("u", "p"), ClientConfig.Load(path).Credentials("docker.io"));
    }

    [Fact]
    public void Credentials_MissingHere_ComeFromTheFallbackFile()
    {
        using var dir = new TempDir();
        var docker = dir.Sub("docker.json");
        File.WriteAllText(docker, """{"auths":{"ghcr.io":{"auth":"dTpw"}}}""");
        var config = ClientConfig.Load(dir.Sub("missing.json"), docker);
        Assert.Equal(new RegistryCredentials("u", "p"), config.Credentials("ghcr.io"));
    }

    [Fact]
    public void RemoveCredentials_RemovesOnlyThatServer()
    {
        using var dir = new TempDir();
        var path = dir.Sub("config.json");
        var config = ClientConfig.Load(path);
        config.SetCredentials("a.io", new RegistryCredentials("a", "1"));
        config.SetCredentials("b.io", new RegistryCredentials("b", "2"));
        Assert.True(config.RemoveCredentials("a.io"));
        Assert.False(config.RemoveCredentials("a.io"));
        config.Save();
        var again = ClientConfig.Load(path);
        Assert.Null(again.Credentials("a.io"));
        Assert.NotNull(again.Credentials("b.io"));
    }

    [Fact]
    public void Load_InvalidJson_IsAnImageException()
    {
        using var dir = new TempDir();
        var path = dir.Sub("config.json");
        File.WriteAllText(path, "{not json");
        Assert.Throws<ImageException>(() => ClientConfig.Load(path));
    }

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode Open = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public void Save_MakesItsDirectories0700AndTheFile0600_AndTightensAnOldDirectory()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Sub("new"), "deeper", "config.json");
        var config = ClientConfig.Load(path);
        config.SetCredentials("a.io", new RegistryCredentials("a", "1"));
        config.Save();
        Assert.Equal(Private, File.GetUnixFileMode(dir.Sub("new")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var old = Directory.CreateDirectory(dir.Sub("old"), Open).FullName;
        File.SetUnixFileMode(old, Open);
        var oldConfig = ClientConfig.Load(Path.Combine(old, "config.json"));
        oldConfig.SetCredentials("a.io", new RegistryCredentials("a", "1"));
        oldConfig.Save();
        Assert.Equal(Private, File.GetUnixFileMode(old));
    }

    [Fact]
    public void Load_OfAnchorsOwnConfig_TightensWhatAnEarlierVersionLeftReadable()
    {
        using var dir = new TempDir();
        var old = Directory.CreateDirectory(dir.Sub("anchor-config")).FullName;
        File.SetUnixFileMode(old, Open);
        var path = Path.Combine(old, "config.json");
        File.WriteAllText(path, """{"auths":{"a.io":{"auth":"dTpw"}}}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var previous = Environment.GetEnvironmentVariable("ANCHOR_CONFIG");
        Environment.SetEnvironmentVariable("ANCHOR_CONFIG", old);
        try
        {
            Assert.Equal(new RegistryCredentials("u", "p"), ClientConfig.Load().Credentials("a.io"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ANCHOR_CONFIG", previous);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(Private, File.GetUnixFileMode(old));
    }
}
