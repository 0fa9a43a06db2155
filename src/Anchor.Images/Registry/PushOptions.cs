using Anchor.Images.Layers;

namespace Anchor.Images.Registry;

/// <summary>
/// push's podman flags: <c>--format oci|v2s2</c> (the manifest's and layers' media types: OCI's or
/// docker's image manifest v2 schema 2) and <c>--compression-format gzip|zstd</c> with
/// <c>--compression-level N</c>. Null everywhere is docker's push: the stored manifest's format, plain
/// layers gzip-compressed once and remembered in the store.
/// </summary>
public sealed record PushOptions
{
    public const string Oci = "oci";
    public const string V2s2 = "v2s2";

    public static readonly PushOptions Default = new();

    /// <summary><see cref="Oci"/>, <see cref="V2s2"/>, or null for the stored manifest's format.</summary>
    public string? Format { get; init; }

    public Compression? Compression { get; init; }

    public int? Level { get; init; }

    /// <summary>The default push remembers its gzip blobs; other choices are made for this push only.</summary>
    public bool IsDefaultCompression => Compression is null or Layers.Compression.Gzip && Level is null;

    /// <summary>Checks the flags' values as given on the command line; <see cref="ImageException"/> names the wrong one.</summary>
    public static PushOptions Parse(string? format, string? compression, int? level)
    {
        if (format is not (null or Oci or V2s2))
        {
            throw new ImageException($"invalid --format \"{format}\": must be \"oci\" or \"v2s2\"");
        }

        Compression? kind = compression switch
        {
            null => null,
            "gzip" => Layers.Compression.Gzip,
            "zstd" => Layers.Compression.Zstd,
            _ => throw new ImageException($"invalid --compression-format \"{compression}\": must be \"gzip\" or \"zstd\""),
        };
        if (kind == Layers.Compression.Zstd && format == V2s2)
        {
            throw new ImageException("--compression-format zstd needs --format oci: docker's v2 schema 2 manifest has no media type for zstd layers");
        }

        if (level is { } n)
        {
            // zlib takes 0 (store) to 9 (RFC 1950 FLEVEL, zlib.h); zstd 1 to 22 (zstd.h ZSTD_maxCLevel).
            var (min, max) = kind == Layers.Compression.Zstd ? (1, 22) : (0, 9);
            if (n < min || n > max)
            {
                throw new ImageException($"invalid --compression-level {n}: {compression ?? "gzip"} takes {min} to {max}");
            }
        }

        return new PushOptions { Format = format, Compression = kind, Level = level };
    }
}
