namespace Anchor.Images.Layers;

/// <summary>
/// Turns a tar entry name into a path relative to the layer root: a leading "/" or "./" is dropped
/// (the entry is relative to the root whatever it says), "." segments vanish, ".." pops a segment,
/// and a ".." that would climb above the root is rejected, as docker's pkg/archive does after
/// filepath.Clean (the "breakout" check).
/// </summary>
internal static class LayerPath
{
    /// <summary>The cleaned segments; empty for the root itself.</summary>
    public static string[] Clean(string name)
    {
        var segments = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (segments.Count == 0)
                {
                    throw new ImageException($"invalid tar entry \"{name}\": path escapes the layer root");
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            if (part.Contains('\0', StringComparison.Ordinal))
            {
                throw new ImageException($"invalid tar entry \"{name}\": NUL in path");
            }

            segments.Add(part);
        }

        return [.. segments];
    }
}
