namespace Anchor.Engine.Run;

/// <summary>--network: a private namespace with only lo (none), or the host's own.</summary>
public enum NetworkMode
{
    None,
    Host,
}
