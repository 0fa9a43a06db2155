namespace Anchor.Runtime.Cgroups;

/// <summary>
/// The device rules the runtime adds after a spec's own, as runc does (libcontainer/specconv
/// AllowedDevices, appended by CreateCgroupConfig; the list of runc 1.2.4 and later). Docker's config.json
/// carries only docker's list (moby oci/defaults.go), so these are what makes the final set docker's:
/// mknod of any node (the node is useless without read/write), the spec's default devices, the
/// devpts slaves (136:*) and ptmx (5:2), and /dev/net/tun (10:200): in every runc since docker's first days
/// but 1.2.0 to 1.2.3, whose removal broke too many users (opencontainers/runc#3468, put back in #4556).
/// </summary>
public static class DefaultDeviceRules
{
    private const DeviceAccess Rwm = DeviceAccess.All;

    public static readonly IReadOnlyList<DeviceRule> Runtime =
    [
        new('c', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.Mknod, true),
        new('b', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.Mknod, true),
        new('c', 1, 3, Rwm, true), // /dev/null
        new('c', 1, 8, Rwm, true), // /dev/random
        new('c', 1, 7, Rwm, true), // /dev/full
        new('c', 5, 0, Rwm, true), // /dev/tty
        new('c', 1, 5, Rwm, true), // /dev/zero
        new('c', 1, 9, Rwm, true), // /dev/urandom
        new('c', 136, DeviceRule.Wildcard, Rwm, true), // /dev/pts/N
        new('c', 5, 2, Rwm, true), // /dev/ptmx
        new('c', 10, 200, Rwm, true), // /dev/net/tun
    ];
}
