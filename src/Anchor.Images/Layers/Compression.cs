namespace Anchor.Images.Layers;

/// <summary>How a layer or archive stream is compressed, as told by its first bytes.</summary>
public enum Compression
{
    None,
    Gzip,
    Zstd,
}
