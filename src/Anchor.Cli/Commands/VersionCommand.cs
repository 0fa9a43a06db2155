using System.CommandLine;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor version [--format TEMPLATE]</c>: the template sees docker's version document (Client, Server).</summary>
public static class VersionCommand
{
    /// <summary>The API version docker 20.10 speaks; scripts compare it, nothing here serves it.</summary>
    private const string ApiVersion = "1.41";

    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>`anchor --version`: docker's "Docker version X, build COMMIT" shape.</summary>
    public static string ShortLine
    {
        get
        {
            var plus = Version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0
                ? $"Anchor version {Version}"
                : $"Anchor version {Version[..plus]}, build {Version[(plus + 1)..Math.Min(Version.Length, plus + 8)]}";
        }
    }

    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "Format the output using the given Go template" };
        var command = new Command("version", "Show the Anchor version information") { format };
        command.SetAction(result =>
        {
            if (result.GetValue(format) is { Length: > 0 } template)
            {
                using var doc = JsonDocument.Parse(Json());
                Console.Out.Write(TemplateFormatter.FormatStruct(template, Typed(TemplateValue.FromJson(doc.RootElement)), "version"));
                return 0;
            }

            Console.WriteLine($"Anchor version {Version}");
            Console.WriteLine($" OS/Arch: linux/amd64, runtime {Environment.Version}, NativeAOT");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// docker's version document (cli/command/system/version.go versionInfo: clientVersion and
    /// types.Version, fields in their declaration order, empty omitempty ones left out): one
    /// binary is both client and server.
    /// </summary>
    private static string Json()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("Client");
            Platform(w);
            w.WriteString(nameof(Version), Version);
            w.WriteString("ApiVersion", ApiVersion);
            w.WriteString("DefaultAPIVersion", ApiVersion);
            Build(w);
            w.WriteString("Context", "default");
            w.WriteBoolean("Experimental", true);
            w.WriteEndObject();
            w.WriteStartObject("Server");
            Platform(w);
            w.WriteStartArray("Components");
            w.WriteStartObject();
            w.WriteString("Name", "Engine");
            w.WriteString(nameof(Version), Version);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString(nameof(Version), Version);
            w.WriteString("ApiVersion", ApiVersion);
            w.WriteString("MinAPIVersion", "1.12");
            Build(w);
            w.WriteString("KernelVersion", Engine.Usage.HostInfo.KernelVersion);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Platform(Utf8JsonWriter w)
    {
        w.WriteStartObject("Platform");
        w.WriteString("Name", "Anchor");
        w.WriteEndObject();
    }

    private static void Build(Utf8JsonWriter w)
    {
        w.WriteString("GitCommit", "");
        w.WriteString("GoVersion", $".NET {Environment.Version}");
        w.WriteString("Os", "linux");
        w.WriteString("Arch", "amd64");
    }

    /// <summary>
    /// The document as docker's template sees it: Go structs (versionInfo, clientVersion,
    /// *types.Version) whose APIVersion field is written "ApiVersion" in JSON.
    /// </summary>
    private static TemplateValue Typed(TemplateValue root)
    {
        root.AsObject.MarkStruct("system.versionInfo");
        foreach (var (part, type) in new[] { ("Client", "system.clientVersion"), ("Server", "*types.Version") })
        {
            var o = root.AsObject[part].AsObject;
            o.MarkStruct(type);
            o.AddOmitted("APIVersion", o["ApiVersion"]);
        }

        return root;
    }
}
