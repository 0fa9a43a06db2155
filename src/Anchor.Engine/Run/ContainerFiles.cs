namespace Anchor.Engine.Run;

/// <summary>
/// The per-container directory: overlay upper and work dirs, the merged mount point, the bundle's
/// config.json, and the generated /etc files that are bind-mounted into the container.
/// </summary>
public sealed record ContainerFiles(string Directory)
{
    public string Upper => Path.Combine(Directory, "upper");

    public string Work => Path.Combine(Directory, "work");

    public string Merged => Path.Combine(Directory, "merged");

    public string Hostname => Path.Combine(Directory, "hostname");

    public string Hosts => Path.Combine(Directory, "hosts");

    public string ResolvConf => Path.Combine(Directory, "resolv.conf");

    /// <summary>
    /// The directory is root's alone (0700, <see cref="State.StorePermissions"/>); upper keeps 0755:
    /// it is the container's "/" (overlayfs takes the root's attributes from the upper directory).
    /// </summary>
    public void Create()
    {
        Linux.PrivateDirectory.Create(Directory);
        System.IO.Directory.CreateDirectory(Upper);
        WriteDockerEnv(Upper);
        System.IO.Directory.CreateDirectory(Work);
        System.IO.Directory.CreateDirectory(Merged);
    }

    /// <summary>
    /// docker's marker file: an empty /.dockerenv, 0755, in every container's root (moby's init layer,
    /// daemon/initlayer and container setup), which scripts test to know they run in a container.
    /// It is not a change of the container: commit and diff leave it out (UpperDirLayer).
    /// </summary>
    private static void WriteDockerEnv(string upper)
    {
        var path = Path.Combine(upper, ".dockerenv");
        using (File.Create(path))
        {
        }

        File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
    }
}
