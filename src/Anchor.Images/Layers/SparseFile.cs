using System.Formats.Tar;

namespace Anchor.Images.Layers;

/// <summary>
/// A regular-file entry that is a GNU sparse file (GNU tar manual, "Storing Sparse Files"), with its
/// real name and size: old GNU 'S' (map from <see cref="SparseTarStream"/>), PAX 0.0 and 0.1
/// (<c>GNU.sparse.map</c>, <c>GNU.sparse.size</c>; 0.0 is rewritten to 0.1's form on the way in),
/// PAX 1.0 (<c>GNU.sparse.major/minor</c>, <c>GNU.sparse.realsize</c>, the map at the start of the
/// data: <see cref="Map"/> is null). <c>GNU.sparse.name</c> replaces the placeholder
/// <c>%d/GNUSparseFile.%p/%f</c> name when present, as in GNU tar and Go's archive/tar.
/// </summary>
internal sealed record SparseFile(string Name, long RealSize, SparseMap? Map)
{
    /// <summary>The sparse description of <paramref name="entry"/>, or null for an ordinary file.</summary>
    public static SparseFile? Of(TarEntry entry, SparseMap? oldGnu)
    {
        if (oldGnu is not null)
        {
            return new SparseFile(entry.Name, oldGnu.RealSize, oldGnu);
        }

        if (entry is not PaxTarEntry pax)
        {
            return null;
        }

        var attributes = pax.ExtendedAttributes;
        var name = attributes.TryGetValue("GNU.sparse.name", out var realName) && realName.Length > 0 ? realName : entry.Name;
        if (attributes.TryGetValue("GNU.sparse.major", out var major))
        {
            attributes.TryGetValue("GNU.sparse.minor", out var minor);
            if (major != "1" || minor != "0")
            {
                throw new ImageException($"invalid tar entry \"{name}\": unsupported GNU sparse format {major}.{minor}");
            }

            return new SparseFile(name, SizeAttribute(attributes, "GNU.sparse.realsize", name), null);
        }

        var hasMap = attributes.TryGetValue("GNU.sparse.map", out var map);
        if (!hasMap && !attributes.ContainsKey("GNU.sparse.size"))
        {
            return null;
        }

        var size = SizeAttribute(attributes, "GNU.sparse.size", name);
        return new SparseFile(name, size, SparseMap.Parse(map ?? "", ',', size) ?? new SparseMap([], -1));
    }

    /// <summary>
    /// The map, read from the start of <paramref name="data"/> for format 1.0 (which leaves the
    /// stream at the first data byte), checked against the bytes the entry stores.
    /// </summary>
    public SparseMap ResolveMap(TarEntry entry, Stream data)
    {
        var stored = entry.Length;
        var map = Map;
        if (map is null)
        {
            map = SparseMap.Read(data, RealSize, out var mapBytes);
            stored -= mapBytes;
        }

        return map is not null && map.IsValid(stored)
            ? map
            : throw new ImageException($"invalid tar entry \"{Name}\": its sparse map does not match its data");
    }

    private static long SizeAttribute(IReadOnlyDictionary<string, string> attributes, string key, string name) =>
        attributes.TryGetValue(key, out var value) && SparseMap.TryParseDecimal(value, out var size)
            ? size
            : throw new ImageException($"invalid tar entry \"{name}\": sparse file without a valid {key}");
}
