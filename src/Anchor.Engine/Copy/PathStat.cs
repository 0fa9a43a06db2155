namespace Anchor.Engine.Copy;

/// <summary>
/// What the archive endpoints say about a path in a container (moby api/types ContainerPathStat):
/// its last element's name, size, Go os.FileMode bits, modification time, and for a symlink the
/// path it resolves to inside the container.
/// </summary>
public sealed record PathStat(string Name, long Size, uint Mode, DateTimeOffset ModificationTime, string LinkTarget)
{
    public bool IsDirectory => (Mode & GoFileMode.Dir) != 0;
}
