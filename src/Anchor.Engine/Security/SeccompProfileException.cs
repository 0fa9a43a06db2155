namespace Anchor.Engine.Security;

/// <summary>A profile that docker would refuse to decode or resolve; the message is moby's.</summary>
public sealed class SeccompProfileException : Exception
{
    public SeccompProfileException() : base("invalid seccomp profile") { }

    public SeccompProfileException(string message) : base(message) { }

    public SeccompProfileException(string message, Exception inner) : base(message, inner) { }
}
