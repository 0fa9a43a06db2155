using System.CommandLine;
using System.Text;
using System.Text.Json;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
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
            using var doc = JsonDocument.Parse(SystemInfo.Json(engine, VersionCommand.Version));
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
