using System.Formats.Tar;
using Anchor.Linux.Interop;

namespace Anchor.Images.Layers;

/// <summary>The mknod(2) file type and device number a device or fifo tar entry stands for.</summary>
public static class TarNode
{
    public static (uint Type, ulong Device) Of(TarEntry entry)
    {
        var posix = (PosixTarEntry)entry;
        var type = entry.EntryType switch
        {
            TarEntryType.CharacterDevice => LibC.S_IFCHR,
            TarEntryType.BlockDevice => LibC.S_IFBLK,
            _ => LibC.S_IFIFO,
        };
        return (type, type == LibC.S_IFIFO ? 0 : LibC.makedev((uint)posix.DeviceMajor, (uint)posix.DeviceMinor));
    }
}
