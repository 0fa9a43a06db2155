namespace Anchor.Engine.Containers;

/// <summary>docker's container states (Engine API ContainerState.Status).</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}
