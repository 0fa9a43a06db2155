using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Inspect;
using Anchor.Engine.Networks;

namespace Anchor.Api;

/// <summary>
/// POST /networks/create, GET /networks/{id}, DELETE /networks/{id}, POST /networks/{id}/connect and
/// /disconnect: `anchor network create|inspect|rm|connect|disconnect`.
/// </summary>
public sealed class NetworkEndpoints(AnchorEngine engine)
{
    private NetworkService Service => NetworkService.For(engine.Paths, engine.Containers);

    /// <summary>201 {"Id", "Warning"} (swagger NetworkCreateResponse); IPAM's first Config gives the subnet and gateway.</summary>
    public async Task Create(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var root = body.RootElement;
        var ipam = root.TryGetProperty("IPAM", out var i) && i.ValueKind == JsonValueKind.Object
            && i.TryGetProperty("Config", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0
            ? c[0] : default;
        var labels = CreateBody.Map(root, "Labels") ?? [];
        var driver = CreateBody.Str(root, "Driver");
        var created = Service.Create(new NetworkCreateOptions
        {
            Name = CreateBody.Str(root, "Name") ?? "",
            Driver = string.IsNullOrEmpty(driver) ? "bridge" : driver,
            Subnet = NonEmpty(CreateBody.Str(ipam, "Subnet")),
            Gateway = NonEmpty(CreateBody.Str(ipam, "Gateway")),
            Internal = CreateBody.Bool(root, "Internal"),
            Labels = labels,
        });
        ApiJson.Write(context, StatusCodes.Status201Created, w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", created.Id);
            w.WriteString("Warning", "");
            w.WriteEndObject();
        });
    }

    /// <summary>200: the document `anchor network inspect` prints (swagger Network).</summary>
    public Task Inspect(HttpContext context)
    {
        var service = Service;
        var network = service.Get((string)context.Request.RouteValues["id"]!);
        var json = NetworkInspectWriter.ToJson(network, service.Members(network.Id));
        ApiJson.Ok(context, w => w.WriteRawValue(json));
        return Task.CompletedTask;
    }

    public Task Remove(HttpContext context) =>
        ContainerVerbEndpoints.NoContent(context, () => Service.Remove((string)context.Request.RouteValues["id"]!));

    /// <summary>200, empty (swagger NetworkConnect): Container, EndpointConfig.Aliases and IPAMConfig.IPv4Address.</summary>
    public async Task Connect(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var root = body.RootElement;
        var endpoint = root.TryGetProperty("EndpointConfig", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var ipam = endpoint.ValueKind == JsonValueKind.Object && endpoint.TryGetProperty("IPAMConfig", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        NetworkAttachments.For(engine.Paths, engine.Containers).Connect(
            (string)context.Request.RouteValues["id"]!,
            CreateBody.Str(root, "Container") ?? "",
            NonEmpty(CreateBody.Str(ipam, "IPv4Address")),
            CreateBody.Strings(endpoint, "Aliases"));
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>200, empty (swagger NetworkDisconnect): Container and Force.</summary>
    public async Task Disconnect(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var root = body.RootElement;
        NetworkAttachments.For(engine.Paths, engine.Containers).Disconnect(
            (string)context.Request.RouteValues["id"]!, CreateBody.Str(root, "Container") ?? "", CreateBody.Bool(root, "Force"));
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
