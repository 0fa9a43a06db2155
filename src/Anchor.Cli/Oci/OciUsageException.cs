namespace Anchor.Cli.Oci;

/// <summary>A command line runc's parser would refuse (exit 1, after "Incorrect Usage." for argument counts).</summary>
public sealed class OciUsageException : Exception
{
    public OciUsageException()
    {
    }

    public OciUsageException(string message) : base(message)
    {
    }

    public OciUsageException(string message, Exception inner) : base(message, inner)
    {
    }
}
