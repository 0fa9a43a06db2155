using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor commit [-a AUTHOR] [-c CHANGE]... [-m MSG] [-p=false] CONTAINER [REPOSITORY[:TAG]]</c>:
/// prints the new image ID.
/// </summary>
public static class CommitCommand
{
    public static Command Create()
    {
        var message = new Option<string?>("--message", "-m") { Description = "Commit message" };
        var author = new Option<string?>("--author", "-a") { Description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")" };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply Dockerfile instruction to the created image" };
        var pause = new Option<bool>("--pause", "-p") { Description = "Pause container during commit", DefaultValueFactory = _ => true };
        var container = new Argument<string>("CONTAINER");
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("commit", "Create a new image from a container's changes") { message, author, change, pause, container, reference };
        command.SetAction(result =>
        {
            var id = CliEngine.Of(result).Changes.Commit(
                result.GetValue(container)!, result.GetValue(reference), result.GetValue(message), result.GetValue(author),
                result.GetValue(change) ?? [], result.GetValue(pause));
            Console.WriteLine(id);
            return 0;
        });
        return command;
    }
}
