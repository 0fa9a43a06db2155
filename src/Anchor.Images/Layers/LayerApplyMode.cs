namespace Anchor.Images.Layers;

/// <summary>What a whiteout in the layer becomes (OCI image spec, layer.md "Whiteouts").</summary>
public enum LayerApplyMode
{
    /// <summary>
    /// The target is this layer's own snapshot directory, later stacked by overlayfs: a whiteout
    /// <c>.wh.NAME</c> becomes an overlay whiteout (a 0/0 character device NAME) and
    /// <c>.wh..wh..opq</c> sets <c>trusted.overlay.opaque=y</c> on its directory
    /// (Documentation/filesystems/overlayfs.rst "whiteouts and opaque directories").
    /// </summary>
    Overlay,

    /// <summary>The target already holds the lower layers: whiteouts really delete (flattening).</summary>
    Apply,
}
