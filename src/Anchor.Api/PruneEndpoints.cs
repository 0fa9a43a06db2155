using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Filters;
using Anchor.Engine.Networks;

namespace Anchor.Api;

/// <summary>
/// POST /containers/prune, /networks/prune and /volumes/prune with their filters: the engine's
/// prune of each verb, answered with docker's report (moby api/types ContainersPruneReport,
/// NetworksPruneReport, VolumesPruneReport). Nothing here measures the space a removal freed:
/// SpaceReclaimed is 0, as `anchor container prune` prints "Total reclaimed space: 0B".
/// </summary>
public sealed class PruneEndpoints(AnchorEngine engine)
{
    public Task Containers(HttpContext context)
    {
        var filter = PruneFilter.Parse(ApiQuery.Filters(context), DateTimeOffset.UtcNow);
        var labels = ContainerFilterLookups.Of(engine.Images, engine.Containers).Labels;
        var removed = engine.Lifecycle.Prune(filter, labels);
        Report(context, "ContainersDeleted", removed, space: true);
        return Task.CompletedTask;
    }

    public Task Networks(HttpContext context)
    {
        var filter = PruneFilter.Parse(ApiQuery.Filters(context), DateTimeOffset.UtcNow);
        var removed = NetworkService.For(engine.Paths, engine.Containers).Prune(filter);
        Report(context, "NetworksDeleted", removed, space: false);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Anonymous volumes only unless the filter says all=true (what `volume prune -a` sends), from
    /// API 1.42 on; an older client's prune takes every unused volume, as it did then (moby
    /// postVolumesPrune adds all=true below 1.42).
    /// </summary>
    public Task Volumes(HttpContext context)
    {
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        // The version prefix was stripped from the path (ApiVersions.StripPrefix), not from the raw target.
        var end = target.IndexOf('/', 1);
        var version = target.StartsWith("/v", StringComparison.Ordinal) && end > 2 ? target[2..end] : "";
        var all = version.Length > 0 && ApiVersions.Compare(version, "1.42") < 0;
        var removed = engine.Volumes.Prune(all, ApiQuery.Filters(context));
        Report(context, "VolumesDeleted", removed, space: true);
        return Task.CompletedTask;
    }

    /// <summary>moby's reports: the list is null when nothing went (a nil slice).</summary>
    private static void Report(HttpContext context, string name, IReadOnlyList<string> removed, bool space) =>
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            if (removed.Count == 0)
            {
                w.WriteNull(name);
            }
            else
            {
                ApiJson.WriteStrings(w, name, removed);
            }

            if (space)
            {
                w.WriteNumber("SpaceReclaimed", 0);
            }

            w.WriteEndObject();
        });
}
