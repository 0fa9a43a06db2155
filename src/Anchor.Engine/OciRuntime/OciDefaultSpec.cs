using System.Text.Encodings.Web;
using System.Text.Json;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// <c>spec</c>: the starting config.json runc writes (libcontainer/specconv Example): a read-only
/// rootfs "rootfs", sh on a terminal, three capabilities, no_new_privs, runc's mounts, masked and
/// read-only paths, and pid, network, ipc, uts and mount namespaces (plus cgroup on a v2 host).
/// </summary>
public static class OciDefaultSpec
{
    private static readonly string[] Capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

    /// <summary>Writes BUNDLE/config.json; an existing one is refused with runc's words.</summary>
    public static void Write(string bundle, bool cgroupV2)
    {
        var path = Path.Combine(bundle, Runtime.Bundle.ConfigFile);
        if (File.Exists(path))
        {
            throw new EngineException($"File {Runtime.Bundle.ConfigFile} exists. Remove it first", OciRuntimeRoot.ErrorExit);
        }

        File.WriteAllBytes(path, Render(cgroupV2));
    }

    public static byte[] Render(bool cgroupV2)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion", "1.2.0");
            w.WriteStartObject("process");
            w.WriteBoolean("terminal", true);
            w.WriteStartObject("user");
            w.WriteNumber("uid", 0);
            w.WriteNumber("gid", 0);
            w.WriteEndObject();
            Strings(w, "args", "sh");
            Strings(w, "env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm");
            w.WriteString("cwd", "/");
            w.WriteStartObject("capabilities");
            Strings(w, "bounding", Capabilities);
            Strings(w, "effective", Capabilities);
            Strings(w, "permitted", Capabilities);
            w.WriteEndObject();
            w.WriteStartArray("rlimits");
            w.WriteStartObject();
            w.WriteString("type", "RLIMIT_NOFILE");
            w.WriteNumber("hard", 1024);
            w.WriteNumber("soft", 1024);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteBoolean("noNewPrivileges", true);
            w.WriteEndObject();
            w.WriteStartObject("root");
            w.WriteString("path", "rootfs");
            w.WriteBoolean("readonly", true);
            w.WriteEndObject();
            w.WriteString("hostname", "runc");
            w.WriteStartArray("mounts");
            Mount(w, "/proc", "proc", "proc");
            Mount(w, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
            Mount(w, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
            Mount(w, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
            Mount(w, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
            Mount(w, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
            Mount(w, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
            w.WriteEndArray();
            w.WriteStartObject("linux");
            w.WriteStartObject("resources");
            w.WriteStartArray("devices");
            w.WriteStartObject();
            w.WriteBoolean("allow", false);
            w.WriteString("access", "rwm");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("namespaces");
            foreach (var type in cgroupV2 ? new[] { "pid", "network", "ipc", "uts", "mount", "cgroup" } : ["pid", "network", "ipc", "uts", "mount"])
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Strings(w, "maskedPaths", "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");
            Strings(w, "readonlyPaths", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Mount(Utf8JsonWriter w, string destination, string type, string source, params string[] options)
    {
        w.WriteStartObject();
        w.WriteString("destination", destination);
        w.WriteString("type", type);
        w.WriteString("source", source);
        if (options.Length > 0)
        {
            Strings(w, "options", options);
        }

        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, params string[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
