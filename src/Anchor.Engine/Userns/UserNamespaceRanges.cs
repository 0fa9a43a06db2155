using System.Globalization;
using Anchor.Linux;

namespace Anchor.Engine.Userns;

/// <summary>
/// The store's record of the host id ranges given to --userns=auto containers (ROOT/userns-ranges,
/// changed only under ROOT/userns-ranges.lock and written atomically): a container keeps its range
/// for its whole life (its upper layer holds files owned by those ids), no two containers ever
/// hold overlapping ones, <c>rm</c> frees it, and a range whose container directory is gone (a
/// command SIGKILLed before its record, a removal that died after the rename into the trash) is
/// reclaimed by the next allocation. The file's first line fixes the span
/// ("span UIDBASE GIDBASE COUNT", <see cref="IdSpan"/>) while any range is out; then one
/// "CONTAINERID OFFSET SIZE" line per range.
/// </summary>
public sealed class UserNamespaceRanges(AnchorPaths paths)
{
    /// <summary>podman's default size for --userns=auto: 65536 ids (a whole 16-bit id space).</summary>
    public const uint DefaultSize = 65536;

    private string FilePath => Path.Combine(paths.Root, "userns-ranges");

    private string LockPath => FilePath + ".lock";

    /// <summary>The container's uid and gid starts and size: its range if it has one, else a new one.</summary>
    public (uint Uid, uint Gid, uint Size) Allocate(string containerId, uint size)
    {
        Directory.CreateDirectory(paths.Root);
        using var held = FileLock.Exclusive(LockPath);
        var (span, table) = Read();
        var changed = table.Find(containerId) is null && table.Reclaim(id => id == containerId || Directory.Exists(paths.ContainerDirectory(id)));
        if (table.Ranges.Count == 0)
        {
            span = IdSpan.From(Sys.TryReadSmallText("/etc/subuid"), Sys.TryReadSmallText("/etc/subgid"));
        }

        var had = table.Find(containerId) is not null;
        var range = table.Allocate(containerId, size, 0, span.Count)
            ?? throw EngineException.Daemon(EngineErrorKind.Unavailable, $"cannot find a free range of {size} host ids for the user namespace: every one of the {span.Count} reserved ids is in use");
        if (!had || changed)
        {
            Write(span, table);
        }

        return (span.UidBase + range.Start, span.GidBase + range.Start, range.Size);
    }

    /// <summary>Frees the container's range (<c>rm</c>); nothing to do for a store that never gave one.</summary>
    public void Release(string containerId)
    {
        if (!File.Exists(FilePath))
        {
            return;
        }

        using var held = FileLock.Exclusive(LockPath);
        var (span, table) = Read();
        if (table.Release(containerId))
        {
            Write(span, table);
        }
    }

    private (IdSpan Span, IdRangeTable Table) Read()
    {
        var text = File.Exists(FilePath) ? File.ReadAllText(FilePath) : "";
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (newline < 0 ? text : text[..newline]).Split(' ');
        if (first.Length == 4 && first[0] == "span"
            && uint.TryParse(first[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && uint.TryParse(first[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            && ulong.TryParse(first[3], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return (new IdSpan(uid, gid, count), IdRangeTable.Parse(text[(newline + 1)..]));
        }

        return (IdSpan.Default, new IdRangeTable([]));
    }

    private void Write(IdSpan span, IdRangeTable table) =>
        AtomicFile.WriteAllText(FilePath, $"span {span.UidBase} {span.GidBase} {span.Count}\n" + table.Format());
}
