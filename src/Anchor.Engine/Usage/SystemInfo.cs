using System.Text;
using System.Text.Json;
using Anchor.Engine.Containers;

namespace Anchor.Engine.Usage;

/// <summary>
/// docker's types.Info, the fields that mean something here under docker's JSON names: what
/// <c>anchor info</c> prints and the API's GET /info answers.
/// </summary>
public static class SystemInfo
{
    public static string Json(AnchorEngine engine, string serverVersion)
    {
        var containers = engine.Containers.List().Select(ProcessLiveness.Refresh).ToList();
        var running = containers.Count(c => c.Status is ContainerStatus.Running or ContainerStatus.Restarting);
        var paused = containers.Count(c => c.Status == ContainerStatus.Paused);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("ID", "");
            w.WriteNumber("Containers", containers.Count);
            w.WriteNumber("ContainersRunning", running);
            w.WriteNumber("ContainersPaused", paused);
            w.WriteNumber("ContainersStopped", containers.Count - running - paused);
            w.WriteNumber("Images", engine.Images.List().Count);
            w.WriteString("Driver", "overlay2");
            w.WriteStartArray("DriverStatus");
            w.WriteStartArray();
            w.WriteStringValue("Backing Filesystem");
            w.WriteStringValue("extfs");
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteBoolean("MemoryLimit", true);
            w.WriteBoolean("SwapLimit", true);
            w.WriteBoolean("CpuCfsPeriod", true);
            w.WriteBoolean("CpuCfsQuota", true);
            w.WriteBoolean("CPUShares", true);
            w.WriteBoolean("CPUSet", true);
            w.WriteBoolean("PidsLimit", true);
            w.WriteBoolean("IPv4Forwarding", true);
            w.WriteBoolean("Debug", false);
            w.WriteString("SystemTime", DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:ss.fffffffK", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("LoggingDriver", "json-file");
            w.WriteString("CgroupDriver", "cgroupfs");
            w.WriteString("CgroupVersion", HostInfo.CgroupVersion);
            w.WriteString("KernelVersion", HostInfo.KernelVersion);
            w.WriteString("OperatingSystem", HostInfo.OperatingSystem);
            w.WriteString("OSVersion", HostInfo.OsVersion);
            w.WriteString("OSType", "linux");
            w.WriteString("Architecture", HostInfo.Architecture);
            w.WriteString("IndexServerAddress", "https://index.docker.io/v1/");
            w.WriteStartObject("RegistryConfig");
            w.WriteStartArray("InsecureRegistryCIDRs");
            w.WriteStringValue("127.0.0.0/8");
            w.WriteEndArray();
            w.WriteStartArray("Mirrors");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNumber("NCPU", HostInfo.Cpus);
            w.WriteNumber("MemTotal", HostInfo.MemTotal);
            w.WriteString("DockerRootDir", engine.Paths.Root);
            w.WriteString("Name", Environment.MachineName);
            w.WriteStartArray("Labels");
            w.WriteEndArray();
            w.WriteBoolean("ExperimentalBuild", false);
            w.WriteString("ServerVersion", serverVersion);
            w.WriteString("DefaultRuntime", "anchor");
            w.WriteBoolean("LiveRestoreEnabled", false);
            w.WriteString("Isolation", "");
            w.WriteStartArray("SecurityOptions");
            w.WriteStringValue("name=seccomp,profile=default");
            w.WriteEndArray();
            w.WriteStartArray("Warnings");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
