using System.Security.Cryptography;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

public sealed class Sha256Tests
{
    [Fact]
    public void Hash_Abc_IsTheFipsVector() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(Sha256.Hash("abc"u8)));

    /// <summary>Every length around the block and padding boundaries, whole and in uneven pieces.</summary>
    [Fact]
    public void Hash_AnyLengthAnyPieces_MatchesOpenSsl()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var expected = SHA256.HashData(data);
            Assert.Equal(expected, Sha256.Hash(data));

            var sha = new Sha256();
            for (var at = 0; at < length;)
            {
                var piece = Math.Min(length - at, random.Next(1, 70));
                sha.Append(data.AsSpan(at, piece));
                at += piece;
            }

            Assert.Equal(expected, sha.Finish());
        }
    }
}
