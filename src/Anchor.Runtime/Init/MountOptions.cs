using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// The options of a spec mount split the way mount(2) wants them: flag words become MS_* bits,
/// everything else is filesystem data (runtime spec config.md "Mounts"; runc's parseMountOptions).
/// </summary>
public sealed record MountOptions(ulong Flags, string? Data, bool Bind, bool ReadOnly, ulong Propagation)
{
    public static MountOptions Parse(IEnumerable<string> options)
    {
        ulong flags = 0;
        ulong propagation = 0;
        var bind = false;
        var data = new List<string>();
        foreach (var option in options)
        {
            switch (option)
            {
                case "ro": flags |= LibC.MS_RDONLY; break;
                case "rw": flags &= ~LibC.MS_RDONLY; break;
                case "nosuid": flags |= LibC.MS_NOSUID; break;
                case "suid": flags &= ~LibC.MS_NOSUID; break;
                case "nodev": flags |= LibC.MS_NODEV; break;
                case "dev": flags &= ~LibC.MS_NODEV; break;
                case "noexec": flags |= LibC.MS_NOEXEC; break;
                case "exec": flags &= ~LibC.MS_NOEXEC; break;
                case "noatime": flags |= LibC.MS_NOATIME; break;
                case "strictatime": flags |= LibC.MS_STRICTATIME; break;
                case "relatime": break;
                case "bind": bind = true; flags |= LibC.MS_BIND; break;
                case "rbind": bind = true; flags |= LibC.MS_BIND | LibC.MS_REC; break;
                case "private": propagation = LibC.MS_PRIVATE; break;
                case "rprivate": propagation = LibC.MS_PRIVATE | LibC.MS_REC; break;
                case "slave": propagation = LibC.MS_SLAVE; break;
                case "rslave": propagation = LibC.MS_SLAVE | LibC.MS_REC; break;
                default: data.Add(option); break;
            }
        }

        return new MountOptions(flags, data.Count == 0 ? null : string.Join(',', data), bind, (flags & LibC.MS_RDONLY) != 0, propagation);
    }
}
