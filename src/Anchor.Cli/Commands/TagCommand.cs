using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]</c>.</summary>
public static class TagCommand
{
    public static Command Create(string name)
    {
        var source = new Argument<string>("SOURCE_IMAGE[:TAG]");
        var target = new Argument<string>("TARGET_IMAGE[:TAG]");
        var command = new Command(name, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE") { source, target };
        command.SetAction(result =>
        {
            var images = CliEngine.Of(result).ImageService;
            images.Tag(result.GetValue(source)!, result.GetValue(target)!);
            images.ReportTag(result.GetValue(source)!, result.GetValue(target)!);
            return 0;
        });
        return command;
    }
}
