namespace Anchor.Network;

/// <summary>A host port that another container publishes or a host process has bound; docker's wording.</summary>
public sealed class PortAllocatedException : Exception
{
    public PortAllocatedException() { }

    public PortAllocatedException(string message) : base(message) { }

    public PortAllocatedException(string message, Exception inner) : base(message, inner) { }

    public PortAllocatedException(PortMapping mapping)
        : base($"Bind for {mapping.HostEndpoint} failed: port is already allocated") => Mapping = mapping;

    public PortMapping? Mapping { get; }
}
