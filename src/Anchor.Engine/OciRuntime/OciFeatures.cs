using System.Text.Json;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// <c>features</c>: the runtime-spec features document (features.md, features-linux.md) for what
/// this runtime carries out today; what <see cref="OciBundle"/> refuses (hooks, user and time
/// namespaces, AppArmor, SELinux) is left out or marked disabled.
/// </summary>
public static class OciFeatures
{
    public static byte[] Render()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ociVersionMin", "1.0.0");
            w.WriteString("ociVersionMax", "1.2.0");
            Strings(w, "hooks");
            Strings(w, "mountOptions", "bind", "dev", "exec", "noatime", "nodev", "noexec", "nosuid", "private", "rbind", "relatime", "ro", "rprivate", "rshared", "rslave", "rw", "shared", "slave", "strictatime", "suid");
            w.WriteStartObject("linux");
            Strings(w, "namespaces", "cgroup", "ipc", "mount", "network", "pid", "uts");
            w.WriteStartObject("cgroup");
            w.WriteBoolean("v1", true);
            w.WriteBoolean("v2", true);
            w.WriteBoolean("systemd", false);
            w.WriteBoolean("systemdUser", false);
            w.WriteEndObject();
            w.WriteStartObject("seccomp");
            w.WriteBoolean("enabled", true);
            Strings(w, "actions", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP");
            Strings(w, "operators", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE");
            w.WriteEndObject();
            w.WriteStartObject("apparmor");
            w.WriteBoolean("enabled", false);
            w.WriteEndObject();
            w.WriteStartObject("selinux");
            w.WriteBoolean("enabled", false);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("annotations");
            w.WriteString("org.opencontainers.runc.version", "anchor");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
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
