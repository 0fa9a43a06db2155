using Anchor.Images.Registry;
using Anchor.Oci.Reference;

namespace Anchor.Images.Tests.Registry;

public sealed class RegistryEndpointTests
{
    [Theory]
    [InlineData("busybox", "https://registry-1.docker.io/", "library/busybox", "https://index.docker.io/v1/")]
    [InlineData("index.docker.io/team/app:1", "https://registry-1.docker.io/", "team/app", "https://index.docker.io/v1/")]
    [InlineData("ghcr.io/o/r:1", "https://ghcr.io/", "o/r", "ghcr.io")]
    [InlineData("127.0.0.1:5000/team/app:1.2", "http://127.0.0.1:5000/", "team/app", "127.0.0.1:5000")]
    [InlineData("127.8.9.10:8080/app", "http://127.8.9.10:8080/", "app", "127.8.9.10:8080")]
    [InlineData("localhost:5000/app", "http://localhost:5000/", "app", "localhost:5000")]
    [InlineData("localhost/app", "http://localhost/", "app", "localhost")]
    [InlineData("[::1]:5000/app", "http://[::1]:5000/", "app", "[::1]:5000")]
    [InlineData("10.0.0.1:5000/app", "https://10.0.0.1:5000/", "app", "10.0.0.1:5000")]
    public void Resolve_MapsReferenceToBaseUrl(string reference, string baseUri, string path, string authKey)
    {
        var r = ImageReference.Parse(reference);
        var endpoint = RegistryEndpoint.Resolve(r.Domain);
        Assert.Equal(baseUri, endpoint.BaseUri.ToString());
        Assert.Equal(path, r.Path);
        Assert.Equal(authKey, endpoint.AuthKey);
    }

    [Fact]
    public void Resolve_InsecureListed_UsesPlainHttp()
    {
        Assert.True(RegistryEndpoint.Resolve("reg.lan:5000", ["reg.lan:5000"]).IsPlainHttp);
        Assert.True(RegistryEndpoint.Resolve("reg.lan:5000", ["http://reg.lan:5000/"]).IsPlainHttp);
        Assert.False(RegistryEndpoint.Resolve("reg.lan:5000", ["other:5000"]).IsPlainHttp);
    }

    [Fact]
    public void ManifestUrl_IsUnderV2()
    {
        var client = new RegistryClient(RegistryEndpoint.Resolve("127.0.0.1:5000"), "team/app", null);
        Assert.Equal("http://127.0.0.1:5000/v2/team/app/manifests/1.2", client.Url("manifests/1.2").ToString());
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("docker.io", "docker.io")]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData("ghcr.io", "ghcr.io")]
    public void NormalizeServer_StripsSchemeAndPath(string server, string expected) =>
        Assert.Equal(expected, RegistryEndpoint.NormalizeServer(server));
}
