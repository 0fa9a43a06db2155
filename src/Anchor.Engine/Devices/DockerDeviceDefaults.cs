using Anchor.Oci.Runtime;

namespace Anchor.Engine.Devices;

/// <summary>
/// The device allowlist docker writes into every container's spec (moby daemon/pkg/oci/defaults.go):
/// deny everything, allow the default nodes and /dev/console (5:1), deny /dev/fuse (10:229). The runtime
/// then adds its own rules after these, as runc does (Anchor.Runtime's DefaultDeviceRules).
/// </summary>
public static class DockerDeviceDefaults
{
    public static readonly IReadOnlyList<SpecDeviceCgroup> Rules =
    [
        new() { Allow = false, Access = "rwm" },
        Char(1, 5, allow: true), // /dev/zero
        Char(1, 3, allow: true), // /dev/null
        Char(1, 9, allow: true), // /dev/urandom
        Char(1, 8, allow: true), // /dev/random
        Char(5, 0, allow: true), // /dev/tty
        Char(5, 1, allow: true), // /dev/console
        Char(10, 229, allow: false), // /dev/fuse
    ];

    /// <summary>--privileged: every device (moby daemon/oci_linux.go WithDevices).</summary>
    public static readonly IReadOnlyList<SpecDeviceCgroup> Privileged = [new() { Allow = true, Access = "rwm" }];

    private static SpecDeviceCgroup Char(long major, long minor, bool allow) =>
        new() { Allow = allow, Type = "c", Major = major, Minor = minor, Access = "rwm" };
}
