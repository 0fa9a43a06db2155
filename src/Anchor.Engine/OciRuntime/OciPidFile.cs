using System.Globalization;
using Anchor.Linux;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// runc's --pid-file (create, run -d, exec): the process's pid in decimal, written to a temporary
/// name and renamed onto the path, as runc does, so a reader (containerd's shim) never sees a partial
/// number. The rename would replace whatever stands there, so the path must be a regular file or
/// absent (<see cref="Output.OutputPath.ValidateFile"/>): a pid file on /dev/null must not replace
/// the host's /dev/null.
/// </summary>
public static class OciPidFile
{
    public static void Write(string? path, int pid)
    {
        if (path is null)
        {
            return;
        }

        var full = Path.GetFullPath(path);
        Output.OutputPath.ValidateFile(full);
        // Not flushed: a pid means nothing after a reboot.
        AtomicFile.WriteAllBytes(full, System.Text.Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture)), durable: false);
    }
}
