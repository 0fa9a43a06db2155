using Anchor.Engine;

namespace Anchor.Api;

/// <summary>The host's group id for --group, from /etc/group (getgrnam(3)'s file, "name:x:gid:members").</summary>
public static class GroupLookup
{
    /// <summary>
    /// dockerd falls back to root's group when its default "docker" group does not exist
    /// (daemon/listeners: a warning), and refuses a group the user named that does not exist.
    /// </summary>
    public static uint Resolve(string name, bool named, TextWriter warnings)
    {
        if (uint.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
        {
            return numeric;
        }

        foreach (var line in File.Exists("/etc/group") ? File.ReadLines("/etc/group") : [])
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name
                && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var gid))
            {
                return gid;
            }
        }

        if (named)
        {
            throw new EngineException($"group {name} not found");
        }

        warnings.WriteLine($"could not find the group \"{name}\": the socket is root:root");
        return 0;
    }
}
