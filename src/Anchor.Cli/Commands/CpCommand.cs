using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Copy;
using Anchor.Engine.Units;
using Anchor.Linux;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor cp [-a] [-L] CONTAINER:SRC_PATH DEST_PATH|-</c> and <c>anchor cp [-a] [-L] SRC_PATH|- CONTAINER:DEST_PATH</c>.
/// Errors are printed as docker prints them (no "anchor:" prefix), exit code 1.
/// </summary>
public static class CpCommand
{
    public static Command Create()
    {
        var archive = new Option<bool>("--archive", "-a") { Description = "Archive mode (copy all uid/gid information)" };
        var follow = new Option<bool>("--follow-link", "-L") { Description = "Always follow symbol link in SRC_PATH" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached" };
        var source = new Argument<string>("SRC_PATH");
        var destination = new Argument<string>("DEST_PATH");
        var command = new Command("cp", "Copy files/folders between a container and the local filesystem") { archive, follow, quiet, source, destination };
        command.SetAction(result =>
        {
            try
            {
                var copied = CliEngine.Of(result).Copier.Copy(
                    result.GetValue(source)!,
                    result.GetValue(destination)!,
                    new CopyOptions(result.GetValue(archive), result.GetValue(follow)),
                    Console.OpenStandardInput,
                    Console.OpenStandardOutput);
                // docker reports the archive size on a terminal only (and never for stdin/stdout).
                if (copied > 0 && !result.GetValue(quiet) && !Console.IsErrorRedirected)
                {
                    Console.Error.WriteLine($"Successfully copied {ByteSize.Human(copied)} to {result.GetValue(destination)}");
                }

                return 0;
            }
            catch (EngineException e)
            {
                Console.Error.WriteLine(CliErrors.Describe(e, "cp").Text);
                return e.ExitCode;
            }
            catch (LinuxException e)
            {
                // A local file the copy could not read or write: docker's client prints the error as is.
                Console.Error.WriteLine(ErrorText.Scrub(e.Message));
                return 1;
            }
        });
        return command;
    }
}
