using Anchor.Oci.Image;

namespace Anchor.Oci.Tests;

public sealed class DigestTests
{
    [Fact]
    public void Sha256_OfEmpty_IsWellKnown()
    {
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Sha256([]).ToString());
    }

    [Theory]
    [InlineData("sha256:ABC")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void TryParse_Malformed_Fails(string value) => Assert.False(Digest.TryParse(value, out _));

    [Fact]
    public void ChainId_FollowsSpecFormula()
    {
        var a = Digest.Sha256("a"u8);
        var b = Digest.Sha256("b"u8);
        var chain = ChainId.Compute([a, b]);
        Assert.Equal(a, chain[0]);
        Assert.Equal(Digest.Sha256(System.Text.Encoding.ASCII.GetBytes($"{a} {b}")), chain[1]);
    }
}
