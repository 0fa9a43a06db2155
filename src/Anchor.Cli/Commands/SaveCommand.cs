using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor save [-o FILE] [--format docker-archive|oci-archive] IMAGE...</c>. With -o the archive
/// is written beside the target and renamed into place (<see cref="Anchor.Engine.Output.OutputFile"/>),
/// so a failed save leaves no partial file, and only a regular file is ever replaced.
/// </summary>
public static class SaveCommand
{
    public static Command Create(string name)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var format = new Option<string>("--format") { Description = "Archive format: docker-archive (default) or oci-archive", DefaultValueFactory = _ => "docker-archive" };
        format.AcceptOnlyFromAmong("docker-archive", "oci-archive");
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Save one or more images to a tar archive (streamed to STDOUT by default)") { output, format, images };
        command.SetAction(result =>
        {
            var service = CliEngine.Of(result).ImageService;
            var oci = result.GetValue(format) == "oci-archive";
            var names = result.GetValue(images)!;
            if (result.GetValue(output) is not { } path)
            {
                if (!Console.IsOutputRedirected)
                {
                    throw new EngineException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
                }

                using var stdout = Console.OpenStandardOutput();
                service.Save(names, stdout, oci);
                return 0;
            }

            Anchor.Engine.Output.OutputFile.Write(path, "failed to save image", file => service.Save(names, file, oci));
            return 0;
        });
        return command;
    }
}
