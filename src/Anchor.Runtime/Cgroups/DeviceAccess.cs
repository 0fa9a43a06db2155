namespace Anchor.Runtime.Cgroups;

/// <summary>
/// What a device rule grants or refuses: mknod, read, write. The values are the kernel's
/// BPF_DEVCG_ACC_* bits (linux/bpf.h), which a device program receives in access_type &gt;&gt; 16.
/// </summary>
[Flags]
public enum DeviceAccess
{
    None = 0,
    Mknod = 1,
    Read = 2,
    Write = 4,
    All = Mknod | Read | Write,
}
