using System.CommandLine;
using Anchor.Engine.Images;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor system check [--repair]</c>: the image store's consistency (podman has a verb of this name).</summary>
public static class SystemCheckCommand
{
    public static Command Create()
    {
        var repair = new Option<bool>("--repair", "-r") { Description = "Re-derive what can be re-derived from what the store holds" };
        var command = new Command("check", "Check that every image's config, manifest, blobs and layers are present and intact") { repair };
        command.SetAction(result => StoreCheckVerb.Run(CliEngine.Of(result).Images, result.GetValue(repair), Console.Out));
        return command;
    }
}
