using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// The endpoints served, each as docker documents it (moby api/swagger.yaml). Every other path is
/// docker's 404 "page not found" (<see cref="ApiPipeline"/>).
/// </summary>
public static class ApiRoutes
{
    public static void Map(WebApplication app, AnchorEngine engine)
    {
        var system = new SystemEndpoints(engine);
        app.MapMethods("/_ping", ["GET", "HEAD"], SystemEndpoints.Ping);
        app.MapGet("/version", SystemEndpoints.Version);
        app.MapGet("/info", system.Info);
        app.MapGet("/events", new EventsEndpoint(engine).Events);
        app.MapGet("/system/df", new DiskUsageEndpoint(engine).DiskUsage);

        var pending = new PendingAttaches();
        var containers = new ContainerEndpoints(engine, pending);
        app.MapGet("/containers/json", containers.List);
        app.MapPost("/containers/create", containers.Create);
        app.MapGet("/containers/{id}/json", containers.Inspect);
        app.MapPost("/containers/{id}/start", containers.Start);
        app.MapPost("/containers/{id}/stop", containers.Stop);
        app.MapPost("/containers/{id}/restart", containers.Restart);
        app.MapPost("/containers/{id}/kill", containers.Kill);
        app.MapPost("/containers/{id}/wait", containers.Wait);
        app.MapDelete("/containers/{id}", containers.Remove);
        app.MapGet("/containers/{id}/logs", new LogsEndpoint(engine).Logs);
        app.MapPost("/containers/{id}/attach", new AttachEndpoint(engine, pending).Attach);

        var verbs = new ContainerVerbEndpoints(engine);
        app.MapPost("/containers/{id}/pause", verbs.Pause);
        app.MapPost("/containers/{id}/unpause", verbs.Unpause);
        app.MapPost("/containers/{id}/rename", verbs.Rename);
        app.MapGet("/containers/{id}/top", verbs.Top);

        var exec = new ExecEndpoints(engine);
        app.MapPost("/containers/{id}/exec", exec.Create);
        app.MapPost("/exec/{id}/start", exec.Start);
        app.MapGet("/exec/{id}/json", exec.Inspect);

        var images = new ImageEndpoints(engine);
        app.MapGet("/images/json", images.List);
        // Image names hold slashes (docker.io/library/busybox) and the CLI does not escape them.
        var transfer = new ImageTransferEndpoints(engine);
        app.MapPost("/images/create", transfer.Create);
        app.MapPost("/images/load", transfer.Load);
        app.MapPost("/images/prune", transfer.Prune);
        app.MapGet("/images/get", transfer.SaveMany);
        app.MapGet("/images/search", ImageTransferEndpoints.Search);
        app.MapPost("/build", new BuildEndpoint(engine).Build);
        app.MapPost("/commit", new CommitEndpoint(engine).Commit);
        app.MapPost("/auth", ImageTransferEndpoints.Auth);
        app.MapGet("/images/{**name}", images.Get);
        app.MapPost("/images/{**name}", images.Post);
        app.MapDelete("/images/{**name}", images.Remove);

        var resources = new ResourceEndpoints(engine);
        app.MapGet("/networks", resources.Networks);
        app.MapGet("/volumes", resources.Volumes);

        var networks = new NetworkEndpoints(engine);
        app.MapPost("/networks/create", networks.Create);
        app.MapGet("/networks/{id}", networks.Inspect);
        app.MapDelete("/networks/{id}", networks.Remove);
        app.MapPost("/networks/{id}/connect", networks.Connect);
        app.MapPost("/networks/{id}/disconnect", networks.Disconnect);

        var volumes = new VolumeEndpoints(engine);
        app.MapPost("/volumes/create", volumes.Create);
        app.MapGet("/volumes/{name}", volumes.Inspect);
        app.MapDelete("/volumes/{name}", volumes.Remove);

        MapContainerFiles(app, engine, exec.Instances);
    }

    /// <summary>The container endpoints over files, usage and resources, and the prunes (a group of their own).</summary>
    private static void MapContainerFiles(WebApplication app, AnchorEngine engine, ExecInstances execs)
    {
        var archive = new ArchiveEndpoints(engine);
        app.MapMethods("/containers/{id}/archive", ["HEAD"], archive.Head);
        app.MapGet("/containers/{id}/archive", archive.Get);
        app.MapPut("/containers/{id}/archive", archive.Put);
        var files = new ContainerFilesEndpoints(engine);
        app.MapGet("/containers/{id}/export", files.Export);
        app.MapGet("/containers/{id}/changes", files.Changes);
        app.MapGet("/containers/{id}/stats", new StatsEndpoint(engine).Stats);
        app.MapPost("/containers/{id}/update", new UpdateEndpoint(engine).Update);
        var resize = new ResizeEndpoints(engine, execs);
        app.MapPost("/containers/{id}/resize", resize.Container);
        app.MapPost("/exec/{id}/resize", resize.Exec);
        var prune = new PruneEndpoints(engine);
        app.MapPost("/containers/prune", prune.Containers);
        app.MapPost("/networks/prune", prune.Networks);
        app.MapPost("/volumes/prune", prune.Volumes);
    }
}
