namespace Anchor.Runtime.Cgroups;

/// <summary>A cgroup operation failed; the message names the file and the value involved.</summary>
public sealed class CgroupException : Exception
{
    public CgroupException() : base("cgroup operation failed") { }

    public CgroupException(string message) : base(message) { }

    public CgroupException(string message, Exception inner) : base(message, inner) { }
}
