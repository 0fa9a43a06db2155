using Anchor.Engine;

namespace Anchor.Api;

/// <summary>GET/HEAD /_ping, GET /version, GET /info.</summary>
public sealed class SystemEndpoints(AnchorEngine engine)
{
    /// <summary>moby's ping: "OK" as text/plain, no caching; HEAD gets the headers alone.</summary>
    public static Task Ping(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        return context.Response.WriteAsync("OK");
    }

    /// <summary>types.Version (swagger SystemVersion): the Engine component and the API range.</summary>
    public static Task Version(HttpContext context)
    {
        var kernel = Anchor.Engine.Usage.HostInfo.KernelVersion;
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("Platform");
            w.WriteString("Name", "Anchor Engine");
            w.WriteEndObject();
            w.WriteStartArray("Components");
            w.WriteStartObject();
            w.WriteString("Name", "Engine");
            w.WriteString("Version", ServerVersion.Value);
            w.WriteStartObject("Details");
            w.WriteString("ApiVersion", ApiVersions.Current);
            w.WriteString("Arch", "amd64");
            w.WriteString("BuildTime", "");
            w.WriteString("Experimental", "false");
            w.WriteString("GitCommit", "");
            w.WriteString("GoVersion", $".NET {Environment.Version}");
            w.WriteString("KernelVersion", kernel);
            w.WriteString("MinAPIVersion", ApiVersions.Minimum);
            w.WriteString("Os", "linux");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("Version", ServerVersion.Value);
            w.WriteString("ApiVersion", ApiVersions.Current);
            w.WriteString("MinAPIVersion", ApiVersions.Minimum);
            w.WriteString("GitCommit", "");
            w.WriteString("GoVersion", $".NET {Environment.Version}");
            w.WriteString("Os", "linux");
            w.WriteString("Arch", "amd64");
            w.WriteString("KernelVersion", kernel);
            w.WriteString("BuildTime", "");
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }

    /// <summary>types.Info, the same document as <c>anchor info</c>'s.</summary>
    public Task Info(HttpContext context)
    {
        var json = Anchor.Engine.Usage.SystemInfo.Json(engine, ServerVersion.Value);
        ApiJson.Ok(context, w => w.WriteRawValue(json));
        return Task.CompletedTask;
    }
}
