namespace Anchor.Engine.Run;

/// <summary>
/// --network: a private namespace with only lo (none), the host's own (host), a bridge network
/// (bridge, the default, or a user network named by <see cref="RunOptions.NetworkName"/>), or another
/// container's namespace (container:NAME).
/// </summary>
public enum NetworkMode
{
    None,
    Host,
    Bridge,
    Container,
}
