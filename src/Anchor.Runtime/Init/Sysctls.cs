using Anchor.Linux;

namespace Anchor.Runtime.Init;

/// <summary>Writes a sysctl through /proc/sys (sysctl(8) does the same; sysctl(2) is gone from the kernel).</summary>
public static class Sysctls
{
    /// <summary>The file of a key: dots separate levels (runc also accepts slashes, kept as they are).</summary>
    public static string ProcPath(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "/proc/sys/" + key.Replace('.', '/');
    }

    /// <summary>
    /// Whether a key is one network interface's (net.ipv4.conf.IF.*, net.ipv6.conf.IF.*, and the
    /// neigh tables alike, IF other than all/default): its file exists only once the interface is
    /// in the namespace, so it is written after the endpoints are wired (runc writes sysctls after
    /// the prestart hooks that plumb docker's interfaces, standard_init_linux.go).
    /// </summary>
    public static bool IsInterfaceKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('.', 5);
        return parts.Length == 5
            && parts[0] == "net"
            && parts[1] is "ipv4" or "ipv6"
            && parts[2] is "conf" or "neigh"
            && parts[3] is not ("all" or "default" or "");
    }

    /// <summary>Writes the value; a key the kernel does not have is runc's "open /proc/sys/…: no such file or directory".</summary>
    public static void Write(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = ProcPath(key);
        try
        {
            File.WriteAllText(path, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InitFailureException($"write sysctl key {key}: {ErrorText.Of(e)}");
        }
    }
}
