namespace Anchor.Images;

/// <summary>A user-facing failure of the image layer; the message is the one line the CLI prints.</summary>
public class ImageException : Exception
{
    public ImageException() : this("image operation failed") { }

    public ImageException(string message) : this(message, ImageErrorKind.Invalid) { }

    public ImageException(string message, Exception inner) : base(message, inner) { }

    public ImageException(string message, ImageErrorKind kind) : base(message) => Kind = kind;

    public ImageException(string message, ImageErrorKind kind, Exception? inner) : base(message, inner) => Kind = kind;

    public ImageErrorKind Kind { get; }
}
