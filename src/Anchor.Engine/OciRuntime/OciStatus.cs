namespace Anchor.Engine.OciRuntime;

/// <summary>The runtime-spec statuses (runtime.md "State"), plus runc's "paused".</summary>
public enum OciStatus
{
    Created,
    Running,
    Paused,
    Stopped,
}
