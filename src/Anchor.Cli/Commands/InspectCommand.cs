using System.CommandLine;
using System.Text;
using System.Text.Json;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Images;
using Anchor.Engine.Inspect;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor inspect [-f FORMAT] [--type container|image] NAME...</c> and its <c>container inspect</c>
/// and <c>image inspect</c> forms: docker's JSON array, or one formatted line per object.
/// </summary>
public static class InspectCommand
{
    public static Command Create(string name, string? only)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a custom template" };
        var type = new Option<string?>("--type") { Description = "Only inspect objects of the given type (container, image)" };
        var size = new Option<bool>("--size", "-s") { Description = "Display total file sizes if the type is container" };
        var names = new Argument<string[]>("NAME|ID") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Return low-level information on Anchor objects") { format, names };
        if (only is not "image")
        {
            command.Options.Add(size);
        }

        if (only is null)
        {
            command.Options.Add(type);
        }

        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var kind = only ?? result.GetValue(type);
            if (kind is not null && !ValidTypes.Contains(kind))
            {
                // cli/command/system/inspect.go: checked before any object is looked up.
                Console.Error.WriteLine($"\"{kind}\" is not a valid value for --type");
                return 1;
            }

            var documents = new List<string>();
            var code = 0;
            foreach (var target in result.GetValue(names)!)
            {
                if (Find(engine, target, kind, result.GetValue(size)) is { } json)
                {
                    documents.Add(json);
                }
                else
                {
                    Console.Error.WriteLine($"Error: No such {(kind ?? "object")}: {target}");
                    code = 1;
                }
            }

            var printed = InspectOutput.Print(documents, result.GetValue(format), Console.Out);
            return printed == InspectOutput.TemplateParseError ? printed : Math.Max(code, printed);
        });
        return command;
    }

    /// <summary>The --type values docker 20.10 accepts.</summary>
    private static readonly string[] ValidTypes = ["config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];

    private static string? Find(AnchorEngine engine, string target, string? kind, bool size)
    {
        if (kind is null or "container")
        {
            try
            {
                var record = engine.Containers.Find(target);
                var data = new ContainerInspector(engine.Paths).Inspect(record);
                return ContainerInspectWriter.ToJson(size ? data with { Size = Engine.Usage.ContainerSize.Of(engine, record) } : data);
            }
            catch (EngineException) when (kind is null)
            {
                // Not a container: docker then looks for an image of that name.
            }
            catch (EngineException)
            {
                return null;
            }
        }

        try
        {
            var image = engine.ImageService.Get(target);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                ImageService.WriteInspect(writer, image);
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (EngineException)
        {
            return null;
        }
    }

}
