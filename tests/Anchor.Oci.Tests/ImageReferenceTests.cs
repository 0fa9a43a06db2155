using Anchor.Oci.Reference;

namespace Anchor.Oci.Tests;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("team/app", "docker.io/team/app:latest", "team/app:latest")]
    [InlineData("docker.io/library/debian:bookworm", "docker.io/library/debian:bookworm", "debian:bookworm")]
    [InlineData("index.docker.io/library/debian", "docker.io/library/debian:latest", "debian:latest")]
    [InlineData("127.0.0.1:5000/team/app:1.2", "127.0.0.1:5000/team/app:1.2", "127.0.0.1:5000/team/app:1.2")]
    [InlineData("localhost/app", "localhost/app:latest", "localhost/app:latest")]
    [InlineData("quay.io/a/b/c:v1", "quay.io/a/b/c:v1", "quay.io/a/b/c:v1")]
    public void Parse_Normalises_LikeDocker(string input, string full, string familiar)
    {
        var reference = ImageReference.Parse(input);
        Assert.Equal(full, reference.ToString());
        Assert.Equal(familiar, reference.FamiliarName);
    }

    [Fact]
    public void Parse_DigestOnly_HasNoDefaultTag()
    {
        var digest = "sha256:" + new string('a', 64);
        var reference = ImageReference.Parse("app@" + digest);
        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.Digest.ToString());
        Assert.Equal("docker.io/library/app@" + digest, reference.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Busybox")]
    [InlineData("busybox:")]
    [InlineData("busybox:bad tag")]
    [InlineData("a//b")]
    [InlineData("app@sha256:abc")]
    [InlineData("-app")]
    public void TryParse_Invalid_Fails(string input)
    {
        Assert.False(ImageReference.TryParse(input, out _, out var error));
        Assert.StartsWith("invalid reference format", error, StringComparison.Ordinal);
    }
}
