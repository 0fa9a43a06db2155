using Anchor.Engine.Run;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Devices;

/// <summary>
/// A container's devices as docker's daemon decides them (moby daemon/oci_linux.go WithDevices): the nodes
/// to create (spec linux.devices) and the allowlist (linux.resources.devices). Unprivileged: docker's
/// defaults, then each --device's rule, then each --device-cgroup-rule. Privileged: every node of the
/// host's /dev plus the --device ones placed elsewhere, and one rule allowing everything
/// (--device-cgroup-rule and the --device permissions are ignored, as docker does).
/// </summary>
public static class ContainerDevices
{
    public static IReadOnlyList<SpecDevice> Nodes(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<SpecDevice> nodes = options.Privileged ? HostDevices.All() : [];
        foreach (var mapping in options.Devices)
        {
            // Privileged: a device at its host path is already there through /dev.
            if (options.Privileged && mapping.PathOnHost == mapping.PathInContainer)
            {
                continue;
            }

            nodes.AddRange(HostDevices.FromPath(mapping.PathOnHost, mapping.PathInContainer, mapping.CgroupPermissions).Devices);
        }

        return nodes;
    }

    public static IReadOnlyList<SpecDeviceCgroup> Rules(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Privileged)
        {
            return DockerDeviceDefaults.Privileged;
        }

        List<SpecDeviceCgroup> rules = [.. DockerDeviceDefaults.Rules];
        foreach (var mapping in options.Devices)
        {
            rules.AddRange(HostDevices.FromPath(mapping.PathOnHost, mapping.PathInContainer, mapping.CgroupPermissions).Rules);
        }

        rules.AddRange(options.DeviceCgroupRules.Select(DeviceCgroupRuleParser.ToSpec));
        return rules;
    }
}
