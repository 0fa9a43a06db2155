using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor import [-c CHANGE] file|- [REPOSITORY[:TAG]]</c>: a rootfs tarball becomes an image.</summary>
public static class ImportCommand
{
    public static Command Create(string name)
    {
        var change = new Option<string[]>("--change", "-c") { Description = "Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL)" };
        var message = new Option<string?>("--message", "-m") { Description = "Set commit message for imported image" };
        var file = new Argument<string>("file|-");
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "Import the contents from a tarball to create a filesystem image") { change, message, file, reference };
        command.SetAction(result =>
        {
            var service = CliEngine.Of(result).ImageService;
            var path = result.GetValue(file)!;
            using var input = path == "-" ? Console.OpenStandardInput() : OpenFile(path);
            var id = service.Import(input, result.GetValue(reference), result.GetValue(change) ?? [], result.GetValue(message));
            Console.WriteLine(id);
            return 0;
        });
        return command;
    }

    public static Stream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Go's os.Open error, the path as the user gave it (docker/cli import.go and load.go).
            throw new EngineException($"open {path}: {Anchor.Linux.ErrorText.ReasonOf(e)}", 1);
        }
    }
}
