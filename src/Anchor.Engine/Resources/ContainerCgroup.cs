using Anchor.Engine.Containers;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Resources;

/// <summary>
/// The cgroup of a container as its record places it: under its --cgroup-parent, or anchor/.
/// A container with a parent also names it in a file of its directory (<see cref="MarkerFile"/>),
/// written before its group is made: a run killed before its record exists leaves a group the
/// sweeper must still find (docs/architecture.md, "Killed commands").
/// </summary>
public static class ContainerCgroup
{
    public const string MarkerFile = "cgroup-parent";

    public static ICgroupManager Of(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CgroupFactory.ForContainer(record.Id, record.Options?.CgroupParent);
    }

    /// <summary>The group a start is about to make; a parent is written down first.</summary>
    public static ICgroupManager Begin(AnchorPaths paths, string id, string? parent)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (parent is not null)
        {
            Linux.AtomicFile.WriteAllBytes(Path.Combine(paths.ContainerDirectory(id), MarkerFile), System.Text.Encoding.UTF8.GetBytes(parent), durable: false);
        }

        return CgroupFactory.ForContainer(id, parent);
    }

    /// <summary>
    /// A group that could not be removed (a process of it would not die in time) of a container
    /// whose directory is gone already: an empty directory (with the parent's marker) is made
    /// again, so that the next ps, rm or prune finds it without a record and destroys the group
    /// (<see cref="Containers.ContainerSweeper"/>): nothing else would ever look for it.
    /// </summary>
    public static void LeaveForSweeper(AnchorPaths paths, string id, string? parent)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var directory = paths.ContainerDirectory(id);
        if (Directory.Exists(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (parent is not null)
        {
            Linux.AtomicFile.WriteAllBytes(Path.Combine(directory, MarkerFile), System.Text.Encoding.UTF8.GetBytes(parent), durable: false);
        }
    }

    /// <summary>The group of a container directory that may have no record (the sweeper's case).</summary>
    public static ICgroupManager Left(AnchorPaths paths, string id)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var marker = Path.Combine(paths.ContainerDirectory(id), MarkerFile);
        var parent = File.Exists(marker) ? File.ReadAllText(marker) : null;
        return CgroupFactory.ForContainer(id, parent is not null && CgroupParent.Normalize(parent) is not null ? parent : null);
    }
}
