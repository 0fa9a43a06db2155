using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Inspect;

namespace Anchor.Api;

/// <summary>
/// GET /containers/{id}/stats?stream=&amp;one-shot=: docker's StatsJSON (moby api/types/stats.go)
/// from the samples `anchor stats` takes (<see cref="ContainerStats"/>: the cgroup's counters and
/// the network namespace's bytes), one document a second while streaming. Without a stream, a
/// second sample a second after the first fills precpu_stats, as moby primes its collector so that
/// the client's CPU % is not 0; one-shot skips that. The client's CPU % is the container's CPU
/// time over the host's (system_cpu_usage, /proc/stat) times online_cpus.
/// </summary>
public sealed class StatsEndpoint(AnchorEngine engine)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task Stats(HttpContext context)
    {
        var record = engine.Containers.Find((string)context.Request.RouteValues["id"]!);
        var stream = !context.Request.Query.ContainsKey("stream") || ApiQuery.Bool(context, "stream");
        var oneShot = ApiQuery.Bool(context, "one-shot");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var hostMemory = HostUsage.MemoryTotal();
        var previous = StatsSample.Zero;
        if (!stream && !oneShot && IsRunning(engine.Containers.Get(record.Id)))
        {
            previous = StatsSample.Take(record);
            await Task.Delay(Interval, context.RequestAborted);
        }

        while (!context.RequestAborted.IsCancellationRequested)
        {
            var current = engine.Containers.Get(record.Id) is { } now && IsRunning(now) ? StatsSample.Take(now) : StatsSample.Zero;
            Write(context.Response.Body, record, current, previous, hostMemory);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (!stream)
            {
                return;
            }

            previous = current;
            await Task.Delay(Interval, context.RequestAborted);
        }
    }

    private static bool IsRunning(ContainerRecord? record) =>
        record is not null && ProcessLiveness.Refresh(record).Status is ContainerStatus.Running or ContainerStatus.Paused;

    private static void Write(Stream body, ContainerRecord record, StatsSample now, StatsSample before, long hostMemory)
    {
        using (var w = new Utf8JsonWriter(body))
        {
            var usage = now.Usage;
            w.WriteStartObject();
            w.WriteString("read", ContainerInspectWriter.FormatTime(now.Read));
            w.WriteString("preread", ContainerInspectWriter.FormatTime(before.Read));
            w.WriteStartObject("pids_stats");
            if (now.Read is not null)
            {
                w.WriteNumber("current", usage.Cgroup.Pids);
                if (record.Options?.PidsLimit is > 0 and var limit)
                {
                    w.WriteNumber("limit", limit);
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("blkio_stats");
            w.WriteStartArray("io_service_bytes_recursive");
            if (now.Read is not null)
            {
                // The cgroup's totals over every device: the device numbers are not kept apart.
                WriteBlkio(w, "read", usage.Cgroup.BlockRead);
                WriteBlkio(w, "write", usage.Cgroup.BlockWritten);
            }

            w.WriteEndArray();
            foreach (var name in (string[])["io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive"])
            {
                w.WriteNull(name);
            }

            w.WriteEndObject();
            w.WriteNumber("num_procs", 0);
            w.WriteStartObject("storage_stats");
            w.WriteEndObject();
            WriteCpu(w, "cpu_stats", now);
            WriteCpu(w, "precpu_stats", before);
            w.WriteStartObject("memory_stats");
            if (now.Read is not null)
            {
                w.WriteNumber("usage", usage.Cgroup.MemoryUsage);
                w.WriteStartObject("stats");
                w.WriteEndObject();
                w.WriteNumber("limit", usage.Cgroup.MemoryLimit is { } l && l < hostMemory ? l : hostMemory);
            }

            w.WriteEndObject();
            w.WriteString("name", "/" + record.Name);
            w.WriteString("id", record.Id);
            if (now.Read is not null && record.Options?.Network != Anchor.Engine.Run.NetworkMode.Host)
            {
                w.WriteStartObject("networks");
                w.WriteStartObject("eth0");
                w.WriteNumber("rx_bytes", usage.NetReceived);
                w.WriteNumber("rx_packets", 0);
                w.WriteNumber("rx_errors", 0);
                w.WriteNumber("rx_dropped", 0);
                w.WriteNumber("tx_bytes", usage.NetTransmitted);
                w.WriteNumber("tx_packets", 0);
                w.WriteNumber("tx_errors", 0);
                w.WriteNumber("tx_dropped", 0);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        body.Write("\n"u8);
    }

    private static void WriteBlkio(Utf8JsonWriter w, string op, long value)
    {
        w.WriteStartObject();
        w.WriteNumber("major", 0);
        w.WriteNumber("minor", 0);
        w.WriteString("op", op);
        w.WriteNumber("value", value);
        w.WriteEndObject();
    }

    private static void WriteCpu(Utf8JsonWriter w, string name, StatsSample s)
    {
        w.WriteStartObject(name);
        w.WriteStartObject("cpu_usage");
        w.WriteNumber("total_usage", s.Usage.Cgroup.CpuNanoseconds);
        w.WriteNumber("usage_in_kernelmode", 0);
        w.WriteNumber("usage_in_usermode", 0);
        w.WriteEndObject();
        if (s.Read is not null)
        {
            w.WriteNumber("system_cpu_usage", s.SystemCpu);
            w.WriteNumber("online_cpus", Environment.ProcessorCount);
        }

        w.WriteStartObject("throttling_data");
        w.WriteNumber("periods", 0);
        w.WriteNumber("throttled_periods", 0);
        w.WriteNumber("throttled_time", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
