using System.Formats.Tar;

namespace Anchor.Images.Layers;

/// <summary>
/// Unpacks a layer tar (plain, gzip or zstd) into a directory in a single pass, returning its DiffID.
/// TarFile.ExtractToDirectory cannot be used for layers (it refuses absolute symlinks, drops owners,
/// setuid and xattrs, applies the umask and knows no whiteouts), so entries are written by hand,
/// confined to the target: see <see cref="LayerExtraction"/>.
/// </summary>
public static class LayerApplier
{
    /// <summary>
    /// Applies <paramref name="layer"/> to <paramref name="target"/> (created if missing).
    /// Throws <see cref="ImageException"/> for a malformed, truncated or malicious archive; the target
    /// may then hold part of the layer, so callers unpack into a temporary directory.
    /// </summary>
    public static LayerApplyResult Apply(Stream layer, string target, LayerApplyMode mode = LayerApplyMode.Overlay)
    {
        ArgumentNullException.ThrowIfNull(layer);
        Directory.CreateDirectory(target);
        using var uncompressed = Decompressor.Open(new NonClosingStream(layer), out var compression);
        using var hashing = new HashingReadStream(uncompressed);
        var extraction = new LayerExtraction(Path.GetFullPath(target), mode);
        try
        {
            // GNU sparse files in the forms TarReader refuses are rewritten on the way (SparseTarStream).
            using var sparse = new SparseTarStream(hashing);
            using var reader = new TarReader(sparse, leaveOpen: true);
            for (var index = 0; ; index++)
            {
                hashing.StartRecording();
                var entry = reader.GetNextEntry(copyData: false);
                hashing.StopRecording();
                if (entry is null)
                {
                    break;
                }

                var rawXattrs = entry is PaxTarEntry pax && HasXattrs(pax) && !hashing.RecordOverflowed
                    ? PaxRecords.FindXattrs(hashing.Recorded, hashing.RecordStart)
                    : null;
                extraction.Extract(entry, rawXattrs, sparse.TakeMap(index));
            }

            var diffId = hashing.Finish();
            extraction.Finish();
            return new LayerApplyResult(diffId, extraction.Size, compression);
        }
        catch (EndOfStreamException e)
        {
            throw new ImageException("invalid layer: archive is truncated", e);
        }
        catch (InvalidDataException e)
        {
            throw new ImageException(hashing.BytesRead <= 512 && extraction.Entries == 0
                ? $"invalid layer: not a tar archive ({e.Message})"
                : $"invalid layer: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new ImageException($"invalid layer: not a tar archive ({e.Message})", e);
        }
    }

    private static bool HasXattrs(PaxTarEntry entry)
    {
        foreach (var key in entry.ExtendedAttributes.Keys)
        {
            if (key.StartsWith(PaxRecords.XattrPrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
