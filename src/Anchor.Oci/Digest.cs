using System.Security.Cryptography;

namespace Anchor.Oci;

/// <summary>
/// A content digest, <c>algorithm:encoded</c> (OCI image spec, descriptor.md "Digests").
/// Only sha256 is produced; sha512 parses so that foreign content can be named.
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    public string Encoded { get; }

    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest))
        {
            throw new FormatException($"invalid digest \"{value}\"");
        }

        return digest;
    }

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var algorithm = value[..colon];
        var encoded = value[(colon + 1)..];
        var expected = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (expected < 0 || encoded.Length != expected || !IsLowerHex(encoded))
        {
            return false;
        }

        digest = new Digest(algorithm, encoded);
        return true;
    }

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) =>
        new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Sha256(ReadOnlySpan<byte> data) => FromSha256Hash(SHA256.HashData(data));

    public static Digest Sha256(Stream data) => FromSha256Hash(SHA256.HashData(data));

    public bool IsEmpty => Algorithm is null;

    /// <summary>The first 12 hex characters, as docker prints image IDs.</summary>
    public string Short => Encoded.Length >= 12 ? Encoded[..12] : Encoded;

    public override string ToString() => IsEmpty ? "" : $"{Algorithm}:{Encoded}";

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
