using System.Reflection;

namespace Anchor.Api;

/// <summary>The server's version as /version and the Server header give it (the build's informational version).</summary>
public static class ServerVersion
{
    public static string Value { get; } =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
}
