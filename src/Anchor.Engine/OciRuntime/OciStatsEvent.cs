using System.Text.Json;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// runc events' JSON line, {"type":"stats","id":ID,"data":{…}}, with the part of runc's
/// types.Stats that Anchor's cgroup sample has: cpu.usage.total (ns), memory.usage (usage, and
/// limit when there is one), pids.current. The other sections are present and empty, as runc
/// writes a section it has no data for.
/// </summary>
public static class OciStatsEvent
{
    public static byte[] Render(string id, CgroupStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "stats");
            w.WriteString("id", id);
            w.WriteStartObject("data");
            w.WriteStartObject("cpu");
            w.WriteStartObject("usage");
            w.WriteNumber("total", stats.CpuNanoseconds);
            w.WriteEndObject();
            w.WriteStartObject("throttling");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("memory");
            w.WriteStartObject("usage");
            if (stats.MemoryLimit is { } limit)
            {
                w.WriteNumber("limit", limit);
            }

            w.WriteNumber("usage", stats.MemoryUsage);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("pids");
            w.WriteNumber("current", stats.Pids);
            w.WriteEndObject();
            foreach (var empty in (string[])["blkio", "hugetlb", "intel_rdt"])
            {
                w.WriteStartObject(empty);
                w.WriteEndObject();
            }

            w.WriteNull("network_interfaces");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
