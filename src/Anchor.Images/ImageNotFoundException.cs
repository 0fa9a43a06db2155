namespace Anchor.Images;

/// <summary>docker's "No such image: x" (exit code 1, HTTP 404 in the API).</summary>
public sealed class ImageNotFoundException : ImageException
{
    public ImageNotFoundException() : this("") { }

    public ImageNotFoundException(string name) : base($"No such image: {name}", ImageErrorKind.NotFound) => Name = name;

    public ImageNotFoundException(string name, Exception inner) : base($"No such image: {name}", ImageErrorKind.NotFound, inner) => Name = name;

    public string Name { get; } = "";
}
