using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Images;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor push [--format oci|v2s2] [--compression-format gzip|zstd [--compression-level N]] NAME[:TAG]</c>:
/// docker's push, with podman's choice of manifest format and layer compression.
/// </summary>
public static class PushCommand
{
    public static Command Create(string name)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var format = new Option<string?>("--format") { Description = "Manifest type (oci or v2s2) to use when pushing an image" };
        var compression = new Option<string?>("--compression-format") { Description = "Compression format to use (gzip or zstd)" };
        var level = new Option<int?>("--compression-level") { Description = "Compression level to use" };
        var image = new Argument<string>("NAME[:TAG]");
        var command = new Command(name, "Upload an image to a registry") { quiet, format, compression, level, image };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var options = RegistryService.PushOptionsOf(result.GetValue(format), result.GetValue(compression), result.GetValue(level));
            new RegistryService(engine.Images).Push(result.GetValue(image)!, options, result.GetValue(quiet) ? TextWriter.Null : Console.Out);
            return 0;
        });
        return command;
    }
}
