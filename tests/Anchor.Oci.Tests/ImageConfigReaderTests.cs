using System.Text.Json;
using Anchor.Oci.Image;

namespace Anchor.Oci.Tests;

/// <summary>ImageConfigReader must read exactly what the source-generated deserializer reads.</summary>
public sealed class ImageConfigReaderTests
{
    private const string Full = """
        {"created":"2024-05-01T12:30:45.123456789Z","author":"someone","architecture":"arm64","os":"linux",
         "config":{"User":"app:app","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/usr/bin","A=b c"],
                   "Entrypoint":["/docker-entrypoint.sh"],"Cmd":["nginx","-g","daemon off;"],"Volumes":{"/data":{}},
                   "WorkingDir":"/srv","Labels":{"maintainer":"x","org.opencontainers.image.version":"1.2"},"StopSignal":"SIGQUIT",
                   "Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Timeout":5000000000,"StartPeriod":1,"StartInterval":2,"Retries":3},
                   "OnBuild":["RUN echo"],"Shell":["/bin/bash","-c"],"Hostname":"ignored","Image":"ignored"},
         "rootfs":{"type":"layers","diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]},
         "history":[{"created":"2024-05-01T12:30:45Z","created_by":"/bin/sh -c #(nop) ADD file","comment":"c","empty_layer":true},{"created_by":"x"}],
         "unknown":{"nested":[1,2,3]}}
        """;

    /// <summary>Documents that carry every member with a declared default (as every config Anchor writes does).</summary>
    [Theory]
    [InlineData(Full)]
    [InlineData("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""")]
    [InlineData("""{"architecture":"amd64","os":"linux","config":null,"history":null,"rootfs":{"type":"layers","diff_ids":[]},"author":null,"created":null}""")]
    [InlineData("""{"architecture":"amd64","os":"linux","config":{"Env":null,"Cmd":[],"Entrypoint":null,"Labels":{},"Healthcheck":{"Test":["NONE"]}},"rootfs":{"type":"layers","diff_ids":[]}}""")]
    public void Read_MatchesTheGeneratedDeserializer(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var expected = JsonSerializer.Deserialize(bytes, OciJsonContext.Default.ImageConfig)!;
        var actual = ImageConfigReader.Read(bytes);
        Assert.Equal(
            JsonSerializer.Serialize(expected, OciJsonContext.Default.ImageConfig),
            JsonSerializer.Serialize(actual, OciJsonContext.Default.ImageConfig));
    }

    /// <summary>
    /// An absent member keeps the record's declared default. The generated deserializer sets an
    /// absent init-only member to null instead (its object initializer passes every member), which
    /// left RootFs null for a config without "rootfs": the reader is the stricter of the two.
    /// </summary>
    [Fact]
    public void Read_AbsentMembers_KeepTheDeclaredDefaults()
    {
        var config = ImageConfigReader.Read("{}"u8);
        Assert.Equal("amd64", config.Architecture);
        Assert.Equal("linux", config.Os);
        Assert.Equal("layers", config.RootFs.Type);
        Assert.Empty(config.RootFs.DiffIds);
        Assert.Null(config.Config);
        Assert.Null(config.History);
    }

    [Fact]
    public void Read_Full_KeepsTheFieldsRunUses()
    {
        var config = ImageConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(Full));
        Assert.Equal(["nginx", "-g", "daemon off;"], config.Config!.Cmd!);
        Assert.Equal("/srv", config.Config.WorkingDir);
        Assert.Equal(["53/udp", "80/tcp"], config.Config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, config.Config.Healthcheck!.Retries);
        Assert.Single(config.RootFs.DiffIds);
        Assert.True(config.History![0].EmptyLayer);
    }

    [Theory]
    [InlineData("""{"config":{"Env":"PATH=/bin"}}""")]
    [InlineData("""{"rootfs":{"diff_ids":["sha256:nothex"]}}""")]
    [InlineData("""{"created":"yesterday"}""")]
    [InlineData("""{"config":{"Healthcheck":{"Retries":"3"}}}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"os\":")]
    public void Read_Malformed_ThrowsJsonException(string json)
    {
        // The generated deserializer refuses the same documents.
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(System.Text.Encoding.UTF8.GetBytes(json), OciJsonContext.Default.ImageConfig) ?? throw new JsonException("null"));
        Assert.ThrowsAny<JsonException>(() => ImageConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
