using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor commit [-m MSG] [-a AUTHOR] CONTAINER [REPOSITORY[:TAG]]</c>: prints the new image ID.</summary>
public static class CommitCommand
{
    public static Command Create()
    {
        var message = new Option<string?>("--message", "-m") { Description = "Commit message" };
        var author = new Option<string?>("--author", "-a") { Description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")" };
        var container = new Argument<string>("CONTAINER");
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("commit", "Create a new image from a container's changes") { message, author, container, reference };
        command.SetAction(result =>
        {
            var id = new AnchorEngine(GlobalOptions.Paths(result)).Changes.Commit(
                result.GetValue(container)!, result.GetValue(reference), result.GetValue(message), result.GetValue(author));
            Console.WriteLine(id);
            return 0;
        });
        return command;
    }
}
