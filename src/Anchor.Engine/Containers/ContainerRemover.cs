using Anchor.Linux.Interop;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Containers;

/// <summary>
/// <c>rm</c>: a running container needs --force, which kills everything in its cgroup first;
/// then the cgroup, the container directory and the record go.
/// </summary>
public sealed class ContainerRemover(ContainerStore containers)
{
    public void Remove(string nameOrId, bool force)
    {
        var record = containers.Find(nameOrId);
        if (record.Status == ContainerStatus.Running && IsAlive(record.Pid))
        {
            if (!force)
            {
                throw new EngineException(
                    $"cannot remove container \"/{record.Name}\": container is running: stop the container before removing or force remove");
            }

            LibC.kill(record.Pid, 9);
        }

        CgroupFactory.Create(record.Id).Destroy();
        containers.Delete(record.Id);
    }

    private static bool IsAlive(int pid) => pid > 0 && LibC.kill(pid, 0) == 0;
}
