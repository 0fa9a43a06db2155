using System.Formats.Tar;
using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime;

namespace Anchor.Engine.Copy;

/// <summary>
/// <c>anchor export</c>: a container's root filesystem, merged, as one tar stream (docker export:
/// the image's layers with the container's changes on top, without its volumes, binds, /proc or /dev).
/// <para>
/// The tree is read through a read-only overlay whose lower layers are the container's upper
/// directory above its image's layers, mounted in a private mount namespace (<see cref="PrivateRootMount"/>):
/// overlayfs itself applies the whiteouts and opaque directories of every layer (overlayfs.rst,
/// "whiteouts and opaque directories" hold in lower layers too), the host sees no mount, and a
/// running container is exported the same way without entering it. A read-only overlay with no
/// upper directory takes no index (the in-use check on a running container's upper is a warning
/// then, not EBUSY: overlayfs.rst, "Sharing and copying layers").
/// </para>
/// </summary>
public sealed class ContainerExporter(AnchorPaths paths, ContainerStore containers)
{
    public void Export(string nameOrId, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ContainerRecord record;
        try
        {
            record = containers.Find(nameOrId);
        }
        catch (EngineException e)
        {
            throw EngineException.Daemon(e.Kind, e.Message, 1);
        }

        var directory = paths.ContainerDirectory(record.Id);
        // A stopped container is exported under its lock (start and rm wait), as cp reads one; a
        // running one changes under the export as it does under docker's.
        using var startLock = IsRunning(record) ? null : DirectoryLock.Acquire(directory)
            ?? throw EngineException.Daemon(EngineErrorKind.NotFound, $"No such container: {nameOrId}", 1);
        var spec = new Bundle(directory).Read();
        using var mount = PrivateRootMount.Create(spec with { Mounts = [ReadOnlyRoot(spec, new ContainerFiles(directory).Upper)] });
        var fd = mount.Root.Open("/", LibC.O_PATH | LibC.O_DIRECTORY);
        try
        {
            using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            new TreeArchiver(writer).WriteContents(fd);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>
    /// The spec's root overlay turned read-only: lowerdir = upper:layers (top first). One layer
    /// alone cannot be an upper-less overlay (overlayfs needs two lower layers then), so it is bound.
    /// </summary>
    public static SpecMount ReadOnlyRoot(Spec spec, string upper)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var root = spec.Mounts.FirstOrDefault(m => m.Destination == "/" && m.Type == "overlay")
            ?? throw EngineException.Daemon(EngineErrorKind.Internal, "the container has no overlay root filesystem", 1);
        var lower = root.Options.FirstOrDefault(o => o.StartsWith("lowerdir=", StringComparison.Ordinal))?["lowerdir=".Length..];
        List<string> layers = [.. Directory.Exists(upper) ? [upper] : Array.Empty<string>(), .. string.IsNullOrEmpty(lower) ? [] : lower.Split(':')];
        return layers.Count switch
        {
            0 => throw EngineException.Daemon(EngineErrorKind.Internal, "the container has no filesystem layers", 1),
            1 => new SpecMount { Destination = "/", Source = layers[0], Options = ["rbind", "ro"] },
            _ => new SpecMount { Destination = "/", Type = "overlay", Source = "overlay", Options = ["ro", "lowerdir=" + string.Join(':', layers)] },
        };
    }

    private static bool IsRunning(ContainerRecord record) =>
        ProcessLiveness.Refresh(record).Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
}
