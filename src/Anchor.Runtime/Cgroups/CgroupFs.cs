using System.Globalization;
using System.Text;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// File operations on a cgroup filesystem, shared by both versions. Control files are never created
/// (the kernel creates them on mkdir; a missing one means an absent controller), and directories are
/// removed with rmdir(2) only: cgroupfs refuses unlink of its files (cgroup-v1/cgroups.rst "Usage").
/// </summary>
internal static class CgroupFs
{
    private const int SIGKILL = 9;

    /// <summary>
    /// Writes <paramref name="value"/> in one write(2), as the kernel parses each write as a whole.
    /// O_TRUNC matches runc (libcontainer/cgroups/file.go) and keeps a fake cgroupfs made of plain files honest.
    /// </summary>
    public static void Write(string dir, string file, string value, Action<string, string>? onWrite) =>
        WriteEach(dir, file, [value], onWrite);

    /// <summary>
    /// Writes each value in a write(2) of its own through one descriptor: files such as devices.allow
    /// take one rule per write (cgroup-v1/devices.rst), and one open saves a path walk per rule.
    /// </summary>
    public static void WriteEach(string dir, string file, IReadOnlyList<string> values, Action<string, string>? onWrite)
    {
        if (values.Count == 0)
        {
            return;
        }

        // The hook sees each value before anything is tried with it, the open included.
        var path = System.IO.Path.Combine(dir, file);
        onWrite?.Invoke(path, values[0]);
        var fd = LibC.open(path, LibC.O_WRONLY | LibC.O_TRUNC | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Failure(path, values[0], LinuxException.FromLastError("open", path));
        }

        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    onWrite?.Invoke(path, values[i]);
                }

                try
                {
                    Sys.WriteAll(fd, Encoding.ASCII.GetBytes(values[i]));
                }
                catch (LinuxException e)
                {
                    throw Failure(path, values[i], e);
                }
            }
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    private static CgroupException Failure(string path, string value, LinuxException e) =>
        new($"cgroup: cannot write \"{value}\" to {path}: {e.Message}", e);

    public static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A control file holding one number ("max" and missing files read as null).</summary>
    public static long? ReadNumber(string path) =>
        long.TryParse((ReadOrNull(path) ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// Reads a list of PIDs (cgroup.procs, tasks), one per line; a missing file, or one whose group is
    /// being removed (ENODEV from a control file of a group rmdir has taken), is an empty list.
    /// </summary>
    public static List<int> ReadPids(string path)
    {
        string? text;
        try
        {
            text = ReadOrNull(path);
        }
        catch (IOException) when (!File.Exists(path))
        {
            text = null;
        }

        var pids = new List<int>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>Finds "key N" in a flat keyed file (memory.events, memory.oom_control); null when absent.</summary>
    public static long? ReadKey(string path, string key)
    {
        foreach (var line in (ReadOrNull(path) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key &&
                long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>mkdir -p; returns true when the leaf itself was made now (so only then does undo remove it).</summary>
    public static bool MakeDir(string dir)
    {
        var parent = System.IO.Path.GetDirectoryName(dir);
        if (parent is not null && !Directory.Exists(parent))
        {
            _ = MakeDir(parent);
        }

        if (LibC.mkdir(dir, 0x1ED /* 0755 */) == 0)
        {
            return true;
        }

        if (Sys.LastErrno == LibC.EEXIST)
        {
            return false;
        }

        throw new CgroupException($"cgroup: cannot create {dir}: {LinuxException.FromLastError("mkdir", dir).Message}");
    }

    /// <summary>
    /// rmdir of the directory and any child cgroups (deepest first). ENOENT is success; EBUSY (the last
    /// killed tasks are still exiting) is retried for about a second.
    /// </summary>
    /// <summary>
    /// The common case after a container's init has exited: the kernel has already killed the rest
    /// of its pid namespace, the groups are empty and a plain rmdir(2) of each succeeds. Returns
    /// false, having removed what it could, when some group still has processes or children.
    /// </summary>
    public static bool TryRemoveEmpty(IReadOnlyList<string> dirs)
    {
        var all = true;
        foreach (var dir in dirs)
        {
            if (LibC.rmdir(dir) != 0 && Sys.LastErrno != LibC.ENOENT)
            {
                all = false;
            }
        }

        return all;
    }

    public static void RemoveDir(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }

        var children = Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)
            .OrderByDescending(d => d.Length)
            .Append(dir);
        foreach (var d in children)
        {
            RmdirWithRetry(d);
        }
    }

    private static void RmdirWithRetry(string dir)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (LibC.rmdir(dir) == 0 || Sys.LastErrno == LibC.ENOENT)
            {
                return;
            }

            var errno = Sys.LastErrno;
            if (errno != LibC.EBUSY || attempt >= 50)
            {
                throw new CgroupException($"cgroup: cannot remove {dir}: {new LinuxException(errno, "rmdir", dir).Message}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Signals every PID listed in the cgroup.procs of <paramref name="dirs"/> and their child cgroups.</summary>
    public static int Signal(IEnumerable<string> dirs, int signal)
    {
        var sent = 0;
        foreach (var pid in AllPids(dirs))
        {
            // ESRCH: the process exited between the read and the kill; that is the goal anyway.
            if (LibC.kill(pid, signal) == 0)
            {
                sent++;
            }
            else if (Sys.LastErrno != LibC.ESRCH)
            {
                throw new CgroupException($"cgroup: cannot signal {pid}: {LinuxException.FromLastError("kill").Message}");
            }
        }

        return sent;
    }

    /// <summary>
    /// SIGKILLs until no process is left (a process may fork while we read the list), for up to about 2 s.
    /// Zombies leave cgroup.procs at exit, so waiting does not depend on who reaps them.
    /// </summary>
    public static void KillAll(IReadOnlyList<string> dirs)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            _ = Signal(dirs, SIGKILL);
            if (AllPids(dirs).Count == 0)
            {
                return;
            }

            Thread.Sleep(10);
        }
    }

    public static List<int> AllPids(IEnumerable<string> dirs)
    {
        var pids = new HashSet<int>();
        foreach (var dir in dirs.Where(Directory.Exists))
        {
            pids.UnionWith(ReadPids(System.IO.Path.Combine(dir, "cgroup.procs")));
            try
            {
                foreach (var child in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories))
                {
                    pids.UnionWith(ReadPids(System.IO.Path.Combine(child, "cgroup.procs")));
                }
            }
            catch (DirectoryNotFoundException)
            {
                // Removed meanwhile (an OCI holder destroys its group as its container dies while
                // delete --force kills it): a group that is gone holds no process.
            }
        }

        return [.. pids];
    }
}
