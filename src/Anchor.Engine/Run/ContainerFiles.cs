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
        System.IO.Directory.CreateDirectory(Work);
        System.IO.Directory.CreateDirectory(Merged);
    }
}
