using System.Text.Json;

namespace Anchor.Images.Tests;

/// <summary>ImageStoreDocumentReader must read images.json exactly as the generated deserializer does.</summary>
public sealed class ImageStoreDocumentReaderTests
{
    private const string Manifest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData($$$"""{"images":{"sha256:aa":{"manifest":"{{{Manifest}}}","added":"2026-01-02T03:04:05.678+01:00","repoDigests":["r@{{{Manifest}}}"]},"sha256:bb":{"manifest":"{{{Manifest}}}"}},"tags":{"docker.io/library/busybox:latest":"sha256:aa"}}""")]
    [InlineData("""{"images":{},"tags":{}}""")]
    [InlineData("""{"images":null,"tags":null}""")]
    [InlineData("{}")]
    public void Read_MatchesTheGeneratedDeserializer(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var expected = JsonSerializer.Deserialize(bytes, ImagesJsonContext.Default.ImageStoreDocument)!;
        var actual = ImageStoreDocumentReader.Read(bytes);
        Assert.Equal(
            JsonSerializer.Serialize(Normalised(expected), ImagesJsonContext.Default.ImageStoreDocument),
            JsonSerializer.Serialize(actual, ImagesJsonContext.Default.ImageStoreDocument));
    }

    [Theory]
    [InlineData("""{"images":{"sha256:aa":{"manifest":"md5:x"}}}""")]
    [InlineData("""{"images":{"sha256:aa":{}}}""")]
    [InlineData("""{"tags":{"a":5}}""")]
    [InlineData("""{"images":[]}""")]
    public void Read_Malformed_ThrowsJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => ImageStoreDocumentReader.Read(System.Text.Encoding.UTF8.GetBytes(json)));

    /// <summary>The deserializer leaves null dictionaries null; the reader (like a fresh document) has them empty.</summary>
    private static ImageStoreDocument Normalised(ImageStoreDocument doc) => new()
    {
        Images = doc.Images ?? new(StringComparer.Ordinal),
        Tags = doc.Tags ?? new(StringComparer.Ordinal),
    };
}
