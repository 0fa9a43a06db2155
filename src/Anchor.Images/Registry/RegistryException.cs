using System.Net;

namespace Anchor.Images.Registry;

/// <summary>A registry answered with an error (distribution spec, "Error Codes"), or could not be reached.</summary>
public sealed class RegistryException : ImageException
{
    public RegistryException() : base("registry error") { }

    public RegistryException(string message) : base(message) { }

    public RegistryException(string message, Exception inner) : base(message, inner) { }

    public RegistryException(string message, HttpStatusCode status, IReadOnlyList<string> codes)
        : base(message, status == HttpStatusCode.NotFound ? ImageErrorKind.NotFound : ImageErrorKind.Invalid)
    {
        Status = status;
        Codes = codes;
    }

    public HttpStatusCode? Status { get; }

    /// <summary>The "code" of each entry of the error body: MANIFEST_UNKNOWN, NAME_UNKNOWN, UNAUTHORIZED, ...</summary>
    public IReadOnlyList<string> Codes { get; } = [];
}
