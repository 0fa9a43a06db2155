using Anchor.Engine.Networks;

namespace Anchor.Engine.Run;

/// <summary>run's --network and the API's HostConfig.NetworkMode: none and host are modes; container:NAME shares a namespace; anything else names a bridge network.</summary>
public static class NetworkFlag
{
    public static (NetworkMode Mode, string? Name) Parse(string? value)
    {
        value ??= NetworkPlumbing.DefaultNetwork;
        return value switch
        {
            "none" => (NetworkMode.None, null),
            "host" => (NetworkMode.Host, null),
            "default" or "" => Parse(NetworkPlumbing.DefaultNetwork),
            _ when value.StartsWith("container:", StringComparison.Ordinal) => (NetworkMode.Container, value["container:".Length..]),
            _ => (NetworkMode.Bridge, value),
        };
    }
}
