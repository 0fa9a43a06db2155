using System.Diagnostics;
using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// What every request goes through: docker's response headers, the /vN.N prefix, failures as
/// docker's error JSON with the status of their kind, docker's 404 for paths it does not serve,
/// and with --debug one line per request on stderr.
/// </summary>
public static class ApiPipeline
{
    public static Func<HttpContext, RequestDelegate, Task> Create(TextWriter? log) => async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        var method = context.Request.Method;
        var path = context.Request.Path.Value;
        var headers = context.Response.Headers;
        // moby's server sets these on every response (api/server/server.go makeHTTPHandler, middleware/version.go).
        headers["Api-Version"] = ApiVersions.Current;
        headers["Docker-Experimental"] = "false";
        headers["Ostype"] = "linux";
        headers["Server"] = $"Anchor/{ServerVersion.Value} (linux)";
        try
        {
            if (ApiVersions.StripPrefix(context.Request) is { } refused)
            {
                ApiJson.Error(context, StatusCodes.Status400BadRequest, refused);
            }
            else
            {
                await next(context);
                if (context.GetEndpoint() is null && !context.Response.HasStarted)
                {
                    // gorilla/mux's NotFoundHandler in moby (api/server/router_swapper.go): 404 and this JSON.
                    ApiJson.Error(context, StatusCodes.Status404NotFound, "page not found");
                }
            }
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            var (status, message) = e is EngineException known
                ? (EngineErrorStatus.Of(known.Kind), known.Message)
                : (e is BadRequestException ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError, Anchor.Linux.ErrorText.Of(e));
            ApiJson.Error(context, status, message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Too late for an error response (a stream or an upgrade had begun): the daemon's log has it.
            Console.Error.WriteLine($"{method} {path}: {Anchor.Linux.ErrorText.Of(e)}");
        }
        finally
        {
            log?.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {method} {path} {context.Response.StatusCode} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1}ms");
        }
    };
}
