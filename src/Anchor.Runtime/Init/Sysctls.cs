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
