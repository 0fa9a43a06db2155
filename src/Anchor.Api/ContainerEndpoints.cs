using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Inspect;
using Anchor.Engine.Networks;

namespace Anchor.Api;

/// <summary>The container endpoints: list, create, inspect, start, stop, restart, kill, wait, delete.</summary>
public sealed class ContainerEndpoints(AnchorEngine engine, PendingAttaches pending)
{
    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    /// <summary>GET /containers/json (all, limit, size, filters): docker's types.Container summaries, newest first.</summary>
    public Task List(HttpContext context)
    {
        // As `anchor ps`: the listing notices what killed commands left behind.
        var sweeper = engine.Sweeper;
        sweeper.SweepDirectories();
        var records = sweeper.SweepRecords(engine.Containers.List());
        var lookups = ContainerFilterLookups.Of(engine.Images, engine.Containers);
        var filter = ContainerFilter.Parse(ApiQuery.Filters(context), lookups);
        var all = ApiQuery.Bool(context, "all");
        var limit = ApiQuery.Int(context, "limit") ?? -1;
        var size = ApiQuery.Bool(context, "size");
        var listed = records
            .Select(ProcessLiveness.Refresh)
            .Where(c => all || limit > 0 || filter.MentionsStatus || c.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)
            .Where(filter.Matches)
            .OrderByDescending(c => c.Created)
            .Take(limit > 0 ? limit : int.MaxValue)
            .ToList();
        var endpoints = new NetworkStore(engine.Paths).Read().Endpoints;
        var now = DateTimeOffset.UtcNow;
        ApiJson.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (var c in listed)
            {
                WriteSummary(w, c, now, lookups.Labels(c), endpoints, size ? Anchor.Engine.Usage.ContainerSize.Of(engine, c) : null);
            }

            w.WriteEndArray();
        });
        return Task.CompletedTask;
    }

    internal static void WriteSummary(Utf8JsonWriter w, ContainerRecord c, DateTimeOffset now, IReadOnlyDictionary<string, string>? labels, IReadOnlyList<EndpointRecord> endpoints, Anchor.Engine.Usage.ContainerSize? size)
    {
        w.WriteStartObject();
        w.WriteString("Id", c.Id);
        w.WriteStartArray("Names");
        w.WriteStringValue("/" + c.Name);
        w.WriteEndArray();
        w.WriteString("Image", c.Image);
        w.WriteString("ImageID", c.ImageId);
        w.WriteString("Command", string.Join(' ', c.Command));
        w.WriteNumber("Created", c.Created.ToUnixTimeSeconds());
        w.WriteStartArray("Ports");
        // As ps: ports of a running container with an endpoint, published ones then exposed ones.
        var own = endpoints.Where(e => e.ContainerId == c.Id).ToList();
        if (c.Status is ContainerStatus.Running or ContainerStatus.Paused && own.Count > 0)
        {
            foreach (var p in own.SelectMany(e => e.Ports))
            {
                w.WriteStartObject();
                w.WriteString("IP", p.DisplayHostIp);
                w.WriteNumber("PrivatePort", p.ContainerPort);
                w.WriteNumber("PublicPort", p.HostPort);
                w.WriteString("Type", p.Protocol);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        if (size is not null)
        {
            w.WriteNumber("SizeRw", size.SizeRw);
            w.WriteNumber("SizeRootFs", size.SizeRootFs);
        }

        ApiJson.WriteMap(w, "Labels", labels ?? new Dictionary<string, string>());
        w.WriteString("State", c.Status.ToString().ToLowerInvariant());
        w.WriteString("Status", ContainerStatusText.Of(c, now));
        w.WriteStartObject("HostConfig");
        w.WriteString("NetworkMode", c.Options?.NetworkFlag ?? "default");
        w.WriteEndObject();
        w.WriteStartObject("NetworkSettings");
        w.WriteStartObject("Networks");
        w.WriteEndObject();
        w.WriteEndObject();
        ContainerInspectWriter.WriteMounts(w, ContainerInspector.MountPoints(c));
        w.WriteEndObject();
    }

    /// <summary>POST /containers/create?name=N: 201 {"Id", "Warnings"}.</summary>
    public async Task Create(HttpContext context)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body);
        }
        catch (JsonException e)
        {
            throw new BadRequestException(e.Message);
        }

        using (body)
        {
            var options = CreateBody.Parse(body.RootElement, ApiQuery.String(context, "name"));
            var extra = CreateNetworking.Extra(body.RootElement, options);
            var record = engine.Lifecycle.Create(options);
            ConnectExtra(record.Id, extra);
            ApiJson.Write(context, StatusCodes.Status201Created, w =>
            {
                w.WriteStartObject();
                w.WriteString("Id", record.Id);
                w.WriteStartArray("Warnings");
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
    }

    /// <summary>
    /// The body's further networks (API 1.44), connected as `docker network connect` would; a
    /// refused one removes the new container again, so a failed create leaves nothing behind.
    /// </summary>
    private void ConnectExtra(string id, IReadOnlyList<CreateNetworking.Endpoint> extra)
    {
        if (extra.Count == 0)
        {
            return;
        }

        try
        {
            var attachments = Anchor.Engine.Networks.NetworkAttachments.For(engine.Paths, engine.Containers);
            foreach (var endpoint in extra)
            {
                attachments.Connect(endpoint.Network, id, endpoint.Ip, endpoint.Aliases);
            }
        }
        catch
        {
            engine.Lifecycle.Remove(id, force: true);
            throw;
        }
    }

    /// <summary>GET /containers/{id}/json (size): the same document as `anchor inspect`.</summary>
    public Task Inspect(HttpContext context)
    {
        var record = engine.Containers.Find(Id(context));
        var data = new ContainerInspector(engine.Paths).Inspect(record);
        if (ApiQuery.Bool(context, "size"))
        {
            data = data with { Size = Anchor.Engine.Usage.ContainerSize.Of(engine, record) };
        }

        ApiJson.Ok(context, w => ContainerInspectWriter.Write(w, data));
        return Task.CompletedTask;
    }

    /// <summary>
    /// POST /containers/{id}/start: 204, or 304 when it already runs (the engine's NotModified).
    /// A client attached before the start becomes the new monitor's first client.
    /// </summary>
    public Task Start(HttpContext context)
    {
        var id = engine.Containers.Find(Id(context)).Id;
        engine.Lifecycle.Start(id, pending.Take(id));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>POST /containers/{id}/stop?t=N&amp;signal=S.</summary>
    public Task Stop(HttpContext context)
    {
        var signal = ApiQuery.String(context, "signal");
        engine.Lifecycle.Stop(Id(context), ApiQuery.Int(context, "t"), string.IsNullOrEmpty(signal) ? null : Signals.Parse(signal));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>POST /containers/{id}/restart?t=N.</summary>
    public Task Restart(HttpContext context)
    {
        engine.Lifecycle.Restart(Id(context), ApiQuery.Int(context, "t"));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>POST /containers/{id}/kill?signal=S (SIGKILL by default).</summary>
    public Task Kill(HttpContext context)
    {
        var signal = ApiQuery.String(context, "signal");
        engine.Lifecycle.Kill(Id(context), string.IsNullOrEmpty(signal) ? Signals.Parse("KILL") : Signals.Parse(signal));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>
    /// POST /containers/{id}/wait?condition=not-running|next-exit|removed: the status line goes out
    /// at once (moby flushes it before waiting, so a client knows the wait is in place before it
    /// starts the container), then {"StatusCode": N, "Error": null} when the condition is met.
    /// </summary>
    public async Task Wait(HttpContext context)
    {
        var condition = ApiQuery.String(context, "condition");
        if (condition is not (null or "" or "not-running" or "next-exit" or "removed"))
        {
            throw new BadRequestException($"invalid condition: \"{condition}\"");
        }

        var record = engine.Containers.Find(Id(context));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var code = await Task.Run(() =>
        {
            var exit = engine.Lifecycle.Wait(record.Id);
            while (condition == "removed" && engine.Containers.Get(record.Id) is not null && !context.RequestAborted.IsCancellationRequested)
            {
                Thread.Sleep(20);
            }

            // A --rm container can be gone before the wait saw it exit: an attach may have its code.
            return engine.Containers.Get(record.Id) is null && pending.TakeExit(record.Id) is { } attached ? attached : exit;
        }, context.RequestAborted);
        using (var w = new Utf8JsonWriter(context.Response.Body))
        {
            w.WriteStartObject();
            w.WriteNumber("StatusCode", code);
            w.WriteNull("Error");
            w.WriteEndObject();
        }

        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    /// <summary>DELETE /containers/{id}?force=1&amp;v=1: 204.</summary>
    public Task Remove(HttpContext context)
    {
        engine.Lifecycle.Remove(Id(context), ApiQuery.Bool(context, "force"), ApiQuery.Bool(context, "v"));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
