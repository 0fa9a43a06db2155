using System.CommandLine;
using System.Text.Json;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor image inspect IMAGE...</c>: docker's JSON array, one object per image.</summary>
public static class InspectImageCommand
{
    public static Command Create(string name)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Display detailed information on one or more images") { images };
        command.SetAction(result =>
        {
            var service = new AnchorEngine(GlobalOptions.Paths(result)).ImageService;
            var found = new List<Anchor.Images.StoredImage>();
            var code = 0;
            foreach (var image in result.GetValue(images)!)
            {
                try
                {
                    found.Add(service.Get(image));
                }
                catch (EngineException e)
                {
                    Console.Error.WriteLine($"Error: {e.Message}");
                    code = 1;
                }
            }

            using var stdout = Console.OpenStandardOutput();
            using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartArray();
                foreach (var image in found)
                {
                    Anchor.Engine.Images.ImageService.WriteInspect(writer, image);
                }

                writer.WriteEndArray();
            }

            stdout.Write("\n"u8);
            return code;
        });
        return command;
    }
}
