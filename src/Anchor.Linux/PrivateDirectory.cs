using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// mkdir -p where every directory made is 0700 (<see cref="FileModes.PrivateDirectory"/>):
/// Directory.CreateDirectory(path, mode) gives the mode to the last one only, and a parent made
/// 0755 on the way (ROOT/containers for ROOT/containers/ID) would open the store again.
/// Existing directories are left as they are.
/// </summary>
public static class PrivateDirectory
{
    private const uint Mode = 0x1C0; // 0700

    public static void Create(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (LibC.mkdir(full, Mode) == 0)
        {
            return;
        }

        var errno = Sys.LastErrno;
        if (errno == LibC.ENOENT && Path.GetDirectoryName(full) is { } parent)
        {
            Create(parent);
            if (LibC.mkdir(full, Mode) == 0)
            {
                return;
            }

            errno = Sys.LastErrno;
        }

        // EEXIST: made by someone else meanwhile, or already there (a file there fails later, on use).
        if (errno != LibC.EEXIST)
        {
            throw new LinuxException(errno, "mkdir", full);
        }
    }
}
