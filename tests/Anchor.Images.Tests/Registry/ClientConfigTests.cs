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
}
