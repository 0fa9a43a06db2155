using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Resources;
using Anchor.Engine.Run;
using Anchor.Runtime.Cgroups;

namespace Anchor.Api;

/// <summary>
/// POST /containers/{id}/update: docker's UpdateConfig (moby api/types/container: Resources and
/// RestartPolicy) as the engine's <see cref="ResourceUpdate"/>, applied by the updater `anchor
/// update` uses; 200 {"Warnings": [...]}. As in docker's API a zero or empty field is "unchanged",
/// PidsLimit 0 or -1 clears the limit, MemorySwap -1 is unlimited swap.
/// </summary>
public sealed class UpdateEndpoint(AnchorEngine engine)
{
    public async Task Update(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var update = Parse(body.RootElement);
        var id = (string)context.Request.RouteValues["id"]!;
        var warnings = new ContainerUpdater(engine.Paths, engine.Containers).Update(id, update, CgroupSupport.Detect());
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            ApiJson.WriteStrings(w, "Warnings", warnings.Distinct());
            w.WriteEndObject();
        });
    }

    private static ResourceUpdate Parse(JsonElement o)
    {
        var memory = Positive(o, "Memory");
        if (memory is < 6 * 1024 * 1024)
        {
            // docker's daemon (verifyPlatformContainerResources), as run's -m is checked.
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Minimum memory limit allowed is 6MB");
        }

        var restart = o.TryGetProperty("RestartPolicy", out var r) && r.ValueKind == JsonValueKind.Object
            && CreateBody.Str(r, "Name") is { Length: > 0 } name
            ? RestartPolicy.Parse(name == "on-failure" && Long(r, "MaximumRetryCount") is > 0 and var count ? $"{name}:{count}" : name)
            : null;
        return new ResourceUpdate
        {
            Memory = memory,
            MemorySwap = Long(o, "MemorySwap") is { } swap and not 0 ? swap : null,
            MemoryReservation = Positive(o, "MemoryReservation"),
            CpuQuota = CpuQuota(o),
            CpuShares = Positive(o, "CpuShares"),
            CpusetCpus = CreateBody.Str(o, "CpusetCpus") is { Length: > 0 } cpus ? cpus : null,
            CpusetMems = CreateBody.Str(o, "CpusetMems") is { Length: > 0 } mems ? mems : null,
            PidsLimit = Long(o, "PidsLimit") is { } pids ? (pids > 0 ? pids : -1) : null,
            BlkioWeight = Positive(o, "BlkioWeight") is { } weight ? checked((ushort)weight) : null,
            Restart = restart,
        };
    }

    /// <summary>NanoCpus (what `docker update --cpus` sends), or CpuQuota per CpuPeriod, as a quota per the engine's 100 ms period.</summary>
    private static long? CpuQuota(JsonElement o)
    {
        if (Positive(o, "NanoCpus") is { } nano)
        {
            return (long)Math.Round(nano / 1e9 * Engine.Units.CpuQuota.Period);
        }

        if (Positive(o, "CpuQuota") is not { } quota)
        {
            return null;
        }

        var period = Positive(o, "CpuPeriod") ?? (long)Engine.Units.CpuQuota.Period;
        return (long)Math.Round((double)quota * Engine.Units.CpuQuota.Period / period);
    }

    private static long? Positive(JsonElement o, string name) => Long(o, name) is > 0 and var value ? value : null;

    private static long? Long(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
}
