using System.CommandLine;
using System.Text;
using System.Text.Json;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Units;
using Anchor.Engine.Usage;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor info [--format T]</c> (also <c>system info</c>): the fields of docker's types.Info that
/// mean something here, under docker's JSON names, printed as docker's CLI prints them
/// (cli/command/system/info.go prettyPrintServerInfo) or through the template.
/// </summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "Format the output using the given Go template" };
        var command = new Command("info", "Display system-wide information") { format };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            using var doc = JsonDocument.Parse(Json(engine));
            if (result.GetValue(format) is { Length: > 0 } template)
            {
                // docker's info template sees system.info, a struct around types.Info (cli/command/system/info.go).
                var info = TemplateValue.FromJson(doc.RootElement);
                info.AsObject.MarkStruct("system.info");
                Console.Out.Write(TemplateFormatter.FormatStruct(template == "json" ? "{{json .}}" : template, info));
                return 0;
            }

            Console.Out.Write(Text(doc.RootElement));
            return 0;
        });
        return command;
    }

    private static string Json(AnchorEngine engine)
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
            w.WriteString("ServerVersion", VersionCommand.Version);
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

    /// <summary>docker's prettyPrintInfo, the lines that apply, in its order.</summary>
    private static string Text(JsonElement info)
    {
        string S(string name) => info.GetProperty(name).ToString();
        var text = new StringBuilder();
        text.Append("Client:\n Context:    default\n Debug Mode: false\n\nServer:\n");
        text.Append($" Containers: {S("Containers")}\n  Running: {S("ContainersRunning")}\n  Paused: {S("ContainersPaused")}\n  Stopped: {S("ContainersStopped")}\n");
        text.Append($" Images: {S("Images")}\n Server Version: {S("ServerVersion")}\n Storage Driver: {S("Driver")}\n");
        text.Append($" Logging Driver: {S("LoggingDriver")}\n Cgroup Driver: {S("CgroupDriver")}\n Cgroup Version: {S("CgroupVersion")}\n");
        text.Append($" Default Runtime: {S("DefaultRuntime")}\n");
        text.Append(" Security Options:\n  seccomp\n   Profile: default\n");
        text.Append($" Kernel Version: {S("KernelVersion")}\n Operating System: {S("OperatingSystem")}\n OSType: {S("OSType")}\n");
        text.Append($" Architecture: {S("Architecture")}\n CPUs: {S("NCPU")}\n Total Memory: {ByteSize.Binary(info.GetProperty("MemTotal").GetInt64())}\n");
        text.Append($" Name: {S("Name")}\n Docker Root Dir: {S("DockerRootDir")}\n Debug Mode: false\n");
        text.Append($" Registry: {S("IndexServerAddress")}\n Labels:\n Experimental: false\n Insecure Registries:\n  127.0.0.0/8\n Live Restore Enabled: false\n\n");
        return text.ToString();
    }
}
