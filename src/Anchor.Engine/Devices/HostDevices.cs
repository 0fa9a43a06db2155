using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Devices;

/// <summary>
/// Device nodes of the host, described for the spec: one path or a directory of them for --device
/// (moby daemon/pkg/oci DevicesFromPath), or all of /dev for --privileged (containerd pkg/oci
/// HostDevices). Each keeps the host node's type, numbers, permission bits and owner.
/// </summary>
public static unsafe class HostDevices
{
    /// <summary>Directories of /dev that hold no device of the host's own (mounts docker gives every container anew).</summary>
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { "pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev" };

    /// <summary>
    /// The node at <paramref name="pathOnHost"/> (a symlink is followed first), placed at
    /// <paramref name="pathInContainer"/>; for a directory, every node below it, placed at the same place
    /// below <paramref name="pathInContainer"/>. Each node gets an allow rule with
    /// <paramref name="permissions"/> (a FIFO needs none: the device cgroup does not look at FIFOs).
    /// </summary>
    public static (List<SpecDevice> Devices, List<SpecDeviceCgroup> Rules) FromPath(string pathOnHost, string pathInContainer, string permissions)
    {
        ArgumentNullException.ThrowIfNull(pathOnHost);
        ArgumentNullException.ThrowIfNull(pathInContainer);
        var resolved = pathOnHost;
        if (Sys.FileType(pathOnHost) == LibC.S_IFLNK && new FileInfo(pathOnHost).ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } target)
        {
            resolved = target.FullName;
        }

        List<SpecDevice> devices = [];
        var error = Describe(resolved, out var device);
        if (device is not null)
        {
            devices.Add(device with { Path = pathInContainer });
        }
        else if (error == 0 && Directory.Exists(resolved))
        {
            foreach (var path in Walk(resolved))
            {
                if (Describe(path, out var child) == 0 && child is not null)
                {
                    devices.Add(child with { Path = pathInContainer + path[resolved.TrimEnd('/').Length..] });
                }
            }
        }

        if (devices.Count == 0)
        {
            var reason = error == 0 ? "not a device node" : Marshal.GetPInvokeErrorMessage(error).ToLowerInvariant();
            throw new EngineException($"error gathering device information while adding custom device \"{pathOnHost}\": {reason}");
        }

        return (devices, [.. devices.Where(d => d.Type != "p").Select(d => Allow(d, permissions))]);
    }

    /// <summary>Every node under /dev but the console, FIFOs and the skipped directories; links are not followed.</summary>
    public static List<SpecDevice> All(string dev = "/dev")
    {
        List<SpecDevice> devices = [];
        foreach (var path in Sorted(dev))
        {
            var name = Path.GetFileName(path);
            var type = Sys.FileType(path);
            if (type == LibC.S_IFDIR)
            {
                if (!SkippedDirectories.Contains(name))
                {
                    devices.AddRange(All(path));
                }
            }
            else if (name != "console" && Describe(path, out var device) == 0 && device is { Type: not "p" })
            {
                devices.Add(device);
            }
        }

        return devices;
    }

    /// <summary>The allow rule docker gives a device it adds (deviceCgroup in moby's devices_linux.go).</summary>
    public static SpecDeviceCgroup Allow(SpecDevice device, string permissions)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new SpecDeviceCgroup { Allow = true, Type = device.Type, Major = device.Major, Minor = device.Minor, Access = permissions };
    }

    /// <summary>lstat(2) of one path: 0 and the device, 0 and null for something else, or the errno.</summary>
    private static int Describe(string path, out SpecDevice? device)
    {
        device = null;
        LibC.StatBuf st;
        if (LibC.lstat(path, &st) < 0)
        {
            return Sys.LastErrno;
        }

        var type = (st.st_mode & LibC.S_IFMT) switch
        {
            LibC.S_IFBLK => "b",
            LibC.S_IFCHR => "c",
            LibC.S_IFIFO => "p",
            _ => null,
        };
        if (type is not null)
        {
            device = new SpecDevice
            {
                Path = path,
                Type = type,
                Major = LibC.major(st.st_rdev),
                Minor = LibC.minor(st.st_rdev),
                FileMode = st.st_mode & ~LibC.S_IFMT,
                Uid = st.st_uid,
                Gid = st.st_gid,
            };
        }

        return 0;
    }

    /// <summary>Go's filepath.WalkDir order: each directory's entries by name, directories entered, links not followed.</summary>
    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var path in Sorted(directory))
        {
            yield return path;
            if (Sys.FileType(path) == LibC.S_IFDIR)
            {
                foreach (var below in Walk(path))
                {
                    yield return below;
                }
            }
        }
    }

    private static string[] Sorted(string directory)
    {
        try
        {
            var entries = Directory.GetFileSystemEntries(directory);
            Array.Sort(entries, StringComparer.Ordinal);
            return entries;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
