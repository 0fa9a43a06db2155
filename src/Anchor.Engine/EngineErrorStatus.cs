namespace Anchor.Engine;

/// <summary>The HTTP status docker's API answers for each kind of failure (moby api/server/httpstatus/status.go).</summary>
public static class EngineErrorStatus
{
    public static int Of(EngineErrorKind kind) => kind switch
    {
        EngineErrorKind.NotFound => 404,
        EngineErrorKind.Conflict => 409,
        EngineErrorKind.InvalidParameter => 400,
        EngineErrorKind.NotModified => 304,
        EngineErrorKind.Forbidden => 403,
        EngineErrorKind.Unavailable => 503,
        _ => 500,
    };
}
