using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>
/// Go's os.FileMode as docker's JSON carries it (io/fs FileMode: type bits at the top of 32,
/// permission bits at the bottom), made from a stat(2) st_mode as Go's fillFileStatFromSys does.
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;

    public static uint FromUnix(uint mode)
    {
        var go = mode & 0x1FF; // 0777
        go |= (mode & LibC.S_IFMT) switch
        {
            LibC.S_IFDIR => Dir,
            LibC.S_IFLNK => Symlink,
            LibC.S_IFCHR => Device | CharDevice,
            LibC.S_IFBLK => Device,
            LibC.S_IFIFO => NamedPipe,
            LibC.S_IFSOCK => Socket,
            _ => 0,
        };
        go |= (mode & 0x800) != 0 ? Setuid : 0; // 04000
        go |= (mode & 0x400) != 0 ? Setgid : 0; // 02000
        go |= (mode & 0x200) != 0 ? Sticky : 0; // 01000
        return go;
    }
}
