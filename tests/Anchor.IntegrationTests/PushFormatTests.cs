using System.Security.Cryptography;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// Issue 14: push's podman flags <c>--format oci|v2s2</c>, <c>--compression-format gzip|zstd</c> and
/// <c>--compression-level</c>, read back from Debian's docker-registry over HTTP: the manifest's and
/// layers' media types, every blob's digest and size, the layer's compression by its magic bytes;
/// a second push gives the same digest, and a pull into another store gives the same image ID.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class PushFormatTests(AnchorFixture anchor)
{
    private const string Accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

    [Theory]
    [InlineData(null, null, null, "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData("oci", "gzip", null, "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData("v2s2", null, null, "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip")]
    [InlineData("v2s2", "gzip", "1", "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip")]
    [InlineData("oci", "zstd", null, "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+zstd")]
    [InlineData("oci", "zstd", "19", "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+zstd")]
    public async Task Push_WithFormatAndCompression_RegistryHoldsThoseMediaTypes_PullGivesTheSameId(string? format, string? compression, string? level, string manifestType, string configType, string layerType)
    {
        using var registry = new RegistryServer();
        using var source = new PrivateStore(anchor, "push-src");
        using var target = new PrivateStore(anchor, "push-dst");
        var repository = $"fmt/{format ?? "default"}-{compression ?? "default"}";
        var reference = $"{registry.Host}/{repository}:1";
        var unique = ImportUnique(source, reference);
        var id = source.Ok("images", "-q", "--no-trunc", reference).Out;
        string[] flags = [.. format is null ? [] : new[] { "--format", format }, .. compression is null ? [] : new[] { "--compression-format", compression },
            .. level is null ? [] : new[] { "--compression-level", level }];

        var digest = PushedDigest(source.Ok(["push", .. flags, reference]).Out);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry.Host}/v2/{repository}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "manifests/1");
        request.Headers.TryAddWithoutValidation("Accept", Accept);
        using var response = await http.SendAsync(request);
        var manifestBytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET manifest: {(int)response.StatusCode}");
        Assert.Equal(manifestType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(digest, Sha256(manifestBytes));

        using var manifest = JsonDocument.Parse(manifestBytes);
        Assert.Equal(manifestType, manifest.RootElement.GetProperty("mediaType").GetString());
        var config = manifest.RootElement.GetProperty("config");
        Assert.Equal(configType, config.GetProperty("mediaType").GetString());
        Assert.Equal(id, config.GetProperty("digest").GetString());
        await VerifyBlob(http, config);
        var layer = manifest.RootElement.GetProperty("layers").EnumerateArray().Single();
        Assert.Equal(layerType, layer.GetProperty("mediaType").GetString());
        var head = await VerifyBlob(http, layer);
        byte[] magic = layerType.EndsWith("zstd", StringComparison.Ordinal) ? [0x28, 0xB5, 0x2F, 0xFD] : [0x1F, 0x8B];
        Assert.Equal(magic, head[..magic.Length]);

        var again = source.Ok(["push", .. flags, reference]).Out;
        Assert.Contains("Layer already exists", again, StringComparison.Ordinal);
        Assert.Equal(digest, PushedDigest(again));
        Assert.Equal("no problems found", source.Ok("system", "check").Out);

        Assert.Contains($"Digest: {digest}", target.Ok("pull", reference).Out, StringComparison.Ordinal);
        Assert.Equal(id, target.Ok("images", "-q", "--no-trunc", reference).Out);
        Assert.Equal(unique, target.Ok("run", "--rm", "--network", "none", reference, "cat", "/unique").Out);
        Assert.Equal("no problems found", target.Ok("system", "check").Out);
    }

    [Theory]
    [InlineData(new[] { "--format", "v2s2", "--compression-format", "zstd" }, "--compression-format zstd needs --format oci: docker's v2 schema 2 manifest has no media type for zstd layers")]
    [InlineData(new[] { "--format", "docker" }, "invalid --format \"docker\": must be \"oci\" or \"v2s2\"")]
    [InlineData(new[] { "--compression-format", "lz4" }, "invalid --compression-format \"lz4\": must be \"gzip\" or \"zstd\"")]
    [InlineData(new[] { "--compression-format", "zstd", "--compression-level", "23" }, "invalid --compression-level 23: zstd takes 1 to 22")]
    public void Push_BadFlags_ExitOneWithOneLine(string[] flags, string error)
    {
        using var store = new PrivateStore(anchor, "push-bad");
        var result = store.Run(["push", .. flags, "127.0.0.1:9/x/y:1"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Err);
        Assert.Equal("", result.Out);
    }

    private string ImportUnique(PrivateStore store, string reference)
    {
        var unique = Guid.NewGuid().ToString("N");
        var tar = Path.Combine(anchor.TempDir, "push-" + unique[..8] + ".tar");
        using (var builder = new TarBuilder().CopyFrom(anchor.BusyboxTar).File("unique", unique))
        {
            File.WriteAllBytes(tar, builder.ToArray());
        }

        store.Ok("import", "--change", "CMD [\"sh\"]", tar, reference);
        File.Delete(tar);
        return unique;
    }

    private static string PushedDigest(string output) =>
        output.Split('\n').Single(l => l.StartsWith("1: digest: sha256:", StringComparison.Ordinal)).Split(' ')[2];

    /// <summary>GETs the blob a descriptor names and checks its digest and size; returns its first bytes.</summary>
    private static async Task<byte[]> VerifyBlob(HttpClient http, JsonElement descriptor)
    {
        var digest = descriptor.GetProperty("digest").GetString()!;
        var bytes = await http.GetByteArrayAsync(new Uri("blobs/" + digest, UriKind.Relative));
        Assert.Equal(digest, Sha256(bytes));
        Assert.Equal(descriptor.GetProperty("size").GetInt64(), bytes.LongLength);
        return bytes[..Math.Min(bytes.Length, 8)];
    }

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
