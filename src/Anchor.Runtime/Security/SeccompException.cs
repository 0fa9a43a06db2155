namespace Anchor.Runtime.Security;

/// <summary>A seccomp filter that cannot be built or installed; the message is the one line the user sees.</summary>
public sealed class SeccompException : Exception
{
    public SeccompException() : base("seccomp filter failed") { }

    public SeccompException(string message) : base(message) { }

    public SeccompException(string message, Exception inner) : base(message, inner) { }
}
