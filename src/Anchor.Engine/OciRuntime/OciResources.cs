using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// runc's update and events on a container's cgroup (runc update.go, events.go): new limits
/// written to the live cgroup, and usage samples. A stopped container is refused with runc's
/// words, "container not running" (update) and "container with id ID is not running" (events).
/// </summary>
public sealed class OciResources(OciRuntimeRoot root)
{
    /// <summary>Writes the limits that are set in <paramref name="resources"/>; the others stay as they are.</summary>
    public void Update(string id, SpecResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var state = root.Load(id);
        if (OciRuntimeRoot.StatusOf(state) == OciStatus.Stopped)
        {
            throw new EngineException("container not running", OciRuntimeRoot.ErrorExit);
        }

        try
        {
            OciRuntimeRoot.Cgroup(state).Update(resources);
        }
        catch (CgroupException e)
        {
            throw new EngineException(e.Message, OciRuntimeRoot.ErrorExit);
        }
    }

    /// <summary>One usage sample of a created, running or paused container; null once it has stopped.</summary>
    public CgroupStats? Sample(string id)
    {
        var state = root.Load(id);
        return OciRuntimeRoot.StatusOf(state) == OciStatus.Stopped ? null : OciRuntimeRoot.Cgroup(state).Stats();
    }

    public static EngineException NotRunning(string id) => new($"container with id {id} is not running", OciRuntimeRoot.ErrorExit);
}
