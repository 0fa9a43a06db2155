using Anchor.Engine.Copy;

namespace Anchor.Engine.Devices;

/// <summary>
/// --device HOST[:CONTAINER][:PERMISSIONS] with docker's rules and messages (docker/cli
/// cli/command/container/opts.go validateLinuxPath, then parseLinuxDevice): at most two colons, a
/// non-empty host path, a second field that is either permissions or the container path, permissions
/// made of r, w and m each at most once, an absolute container path; paths are cleaned as Go's path.Clean.
/// </summary>
public static class DeviceMappingParser
{
    public static DeviceMapping Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var validated = Validate(value);
        var parts = validated.Split(':', 3);
        var permissions = "rwm";
        string? container = null;
        if (parts.Length == 3)
        {
            permissions = parts[2];
        }

        if (parts.Length >= 2)
        {
            if (IsPermissions(parts[1]))
            {
                permissions = parts[1];
            }
            else
            {
                container = parts[1];
            }
        }

        return new DeviceMapping { PathOnHost = parts[0], PathInContainer = container ?? parts[0], CgroupPermissions = permissions };
    }

    /// <summary>docker's validDeviceMode: non-empty, only r, w and m, none twice.</summary>
    public static bool IsPermissions(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return mode.Length > 0 && mode.All(c => c is 'r' or 'w' or 'm') && mode.Distinct().Count() == mode.Length;
    }

    private static string Validate(string value)
    {
        if (value.Count(c => c == ':') > 2)
        {
            throw new EngineException($"bad format for path: {value}");
        }

        var split = value.Split(':', 3);
        if (split[0].Length == 0)
        {
            throw new EngineException($"bad format for path: {value}");
        }

        string container;
        switch (split.Length)
        {
            case 1:
                container = split[0];
                value = CopyPaths.Clean(container);
                break;
            case 2 when IsPermissions(split[1]):
                container = split[0];
                value = $"{CopyPaths.Clean(container)}:{split[1]}";
                break;
            case 2:
                container = split[1];
                value = $"{split[0]}:{CopyPaths.Clean(container)}";
                break;
            default:
                container = split[1];
                if (!IsPermissions(split[2]))
                {
                    throw new EngineException($"bad mode specified: {split[2]}");
                }

                break;
        }

        return container.StartsWith('/') ? value : throw new EngineException($"{container} is not an absolute path");
    }
}
