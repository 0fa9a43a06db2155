using System.Globalization;
using System.Text;

namespace Anchor.Engine.Userns;

/// <summary>
/// The ranges handed out so far, in their file's form (one "CONTAINERID START SIZE" line each) and
/// the first-fit choice of a new one inside the reserved span [Base, Base + Count). Pure: the lock
/// and the file are <see cref="UserNamespaceRanges"/>'s.
/// </summary>
public sealed class IdRangeTable
{
    private readonly List<IdRange> _ranges;

    public IdRangeTable(IEnumerable<IdRange> ranges) => _ranges = [.. ranges.OrderBy(r => r.Start)];

    public IReadOnlyList<IdRange> Ranges => _ranges;

    public static IdRangeTable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<IdRange> ranges = [];
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start) && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                ranges.Add(new IdRange(fields[0], start, size));
            }
        }

        return new IdRangeTable(ranges);
    }

    public string Format()
    {
        var text = new StringBuilder();
        foreach (var range in _ranges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{range.ContainerId} {range.Start} {range.Size}\n");
        }

        return text.ToString();
    }

    public IdRange? Find(string containerId) => _ranges.FirstOrDefault(r => r.ContainerId == containerId);

    /// <summary>Drops the ranges whose container is gone (removed, or never recorded by a killed command).</summary>
    public bool Reclaim(Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        return _ranges.RemoveAll(r => !exists(r.ContainerId)) > 0;
    }

    public bool Release(string containerId) => _ranges.RemoveAll(r => r.ContainerId == containerId) > 0;

    /// <summary>The container's range: the one it has, else the lowest free one of <paramref name="size"/> ids; null when the span is full.</summary>
    public IdRange? Allocate(string containerId, uint size, uint spanBase, ulong spanCount)
    {
        if (Find(containerId) is { } existing)
        {
            return existing;
        }

        var start = (ulong)spanBase;
        var end = spanBase + spanCount;
        foreach (var taken in _ranges)
        {
            if (start + size <= taken.Start)
            {
                break;
            }

            start = Math.Max(start, taken.End);
        }

        if (start + size > end)
        {
            return null;
        }

        var range = new IdRange(containerId, (uint)start, size);
        _ranges.Add(range);
        _ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        return range;
    }
}
