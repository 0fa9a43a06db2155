using Anchor.Linux;

namespace Anchor.Runtime.Launch;

/// <summary>The user namespace a namespace thread made (<see cref="ContainerLauncher"/>), for the spawn on that same thread.</summary>
internal sealed class UserNamespaceHolder
{
    public UserNamespace? Namespace { get; set; }

    public UserNamespaceMaps? Maps { get; init; }
}
