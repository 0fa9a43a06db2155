using Anchor.Engine.Containers;
using Anchor.Engine.Run;

namespace Anchor.Engine.Networks;

/// <summary>
/// Keeps the /etc/hosts of containers on a network current: a container's file lists its peers on
/// each user network (name, aliases, short ID), so it is rewritten whenever an endpoint joins or
/// leaves. The file is bind-mounted into the running container, so it is rewritten IN PLACE
/// (open with O_TRUNC and write): a rename would replace the host's directory entry while the
/// container kept seeing the old inode. See <see cref="HostsFile"/> for why hosts files and not DNS.
/// </summary>
public sealed class NetworkHosts(AnchorPaths paths, ContainerStore containers)
{
    /// <summary>Rewrites the hosts file of every container with an endpoint on the network.</summary>
    public void Refresh(string networkId, NetworkState state)
    {
        foreach (var containerId in state.Endpoints.Where(e => e.NetworkId == networkId).Select(e => e.ContainerId).Distinct())
        {
            if (containers.Get(containerId) is { } container)
            {
                Write(container, state);
            }
        }
    }

    public void Refresh(string networkId) => Refresh(networkId, new NetworkStore(paths).Read());

    /// <summary>Writes one container's hosts file from the current state (a container being removed may have lost its directory: skipped).</summary>
    public void Write(ContainerRecord container, NetworkState state)
    {
        var files = new ContainerFiles(paths.ContainerDirectory(container.Id));
        if (!Directory.Exists(files.Directory) || container.Options?.Network is NetworkMode.Host or NetworkMode.Container)
        {
            return;
        }

        WriteInPlace(files.Hosts, Render(container, state, containers.Get));
    }

    /// <summary>The container's hosts file given the endpoints in <paramref name="state"/>.</summary>
    public static string Render(ContainerRecord container, NetworkState state, Func<string, ContainerRecord?> lookup)
    {
        var options = container.Options ?? new RunOptions { Image = container.Image };
        var networks = state.All().ToDictionary(n => n.Id);
        var own = state.Endpoints.Where(e => e.ContainerId == container.Id).ToList();
        var gateway = own.Select(e => networks.GetValueOrDefault(e.NetworkId)?.Gateway).FirstOrDefault(g => !string.IsNullOrEmpty(g))
            ?? PredefinedNetworks.BridgeGateway;
        var hostname = options.Hostname ?? container.Id[..12];
        var peers = new List<HostEntry>();
        foreach (var endpoint in own)
        {
            if (!networks.TryGetValue(endpoint.NetworkId, out var network) || network.Predefined)
            {
                // The default bridge has no name resolution, as in docker.
                continue;
            }

            foreach (var other in state.Endpoints.Where(e => e.NetworkId == network.Id && e.ContainerId != container.Id))
            {
                if (lookup(other.ContainerId) is { } peer)
                {
                    peers.Add(new HostEntry(other.Address, [peer.Name, .. other.Aliases.Where(a => a != peer.Name), peer.Id[..12]]));
                }
            }
        }

        return HostsFile.Render(
            options.ExtraHosts.Select(h => ExtraHosts.ToEntry(h, gateway)),
            own.Select(e => new HostEntry(e.Address, [hostname])),
            peers);
    }

    /// <summary>O_TRUNC on the existing inode (FileMode.Create), never a rename: the bind mount pins the inode.</summary>
    public static void WriteInPlace(string path, string content)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        stream.Write(bytes);
    }
}
