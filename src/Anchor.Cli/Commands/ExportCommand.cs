using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Output;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor export [-o FILE] CONTAINER</c>: the container's merged filesystem as a tar, to stdout
/// (never to a terminal, as docker's client refuses) or written atomically to FILE as <c>save -o</c>
/// writes (<see cref="OutputFile"/>).
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var container = new Argument<string>("CONTAINER");
        var command = new Command("export", "Export a container's filesystem as a tar archive") { output, container };
        command.SetAction(result =>
        {
            var exporter = CliEngine.Of(result).Exporter;
            var name = result.GetValue(container)!;
            if (result.GetValue(output) is not { } path)
            {
                if (!Console.IsOutputRedirected)
                {
                    throw new EngineException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
                }

                using var stdout = Console.OpenStandardOutput();
                exporter.Export(name, stdout);
                return 0;
            }

            OutputFile.Write(path, "failed to export container", file => exporter.Export(name, file));
            return 0;
        });
        return command;
    }
}
