namespace Anchor.Engine;

/// <summary>
/// What kind of failure an <see cref="EngineException"/> is, independent of how it is shown: the
/// classes of moby's errdefs package (errdefs/defs.go), from which each front end makes its own
/// wording, exit code or HTTP status (moby api/server/httpstatus: 404, 409, 400, 304, 403, 503, 500).
/// </summary>
public enum EngineErrorKind
{
    /// <summary>Not the user's doing, or not classified (errdefs.System/Unknown): HTTP 500.</summary>
    Internal,

    /// <summary>The named container, image, network, volume or exec does not exist (errdefs.NotFound): 404.</summary>
    NotFound,

    /// <summary>The request clashes with the state: a name in use, an image in use (errdefs.Conflict): 409.</summary>
    Conflict,

    /// <summary>A malformed or contradictory request: a bad flag value, filter or address (errdefs.InvalidParameter): 400.</summary>
    InvalidParameter,

    /// <summary>Nothing to do: already started, already stopped (errdefs.NotModified): 304.</summary>
    NotModified,

    /// <summary>The request is understood but refused in this state (errdefs.Forbidden): 403.</summary>
    Forbidden,

    /// <summary>A needed service or plugin is missing (errdefs.Unavailable): 503.</summary>
    Unavailable,
}
