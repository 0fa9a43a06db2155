using System.CommandLine;
using Anchor.Engine.Images;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor logout [SERVER]</c>: forgets the stored credentials.</summary>
public static class LogoutCommand
{
    public static Command Create()
    {
        var server = new Argument<string?>("SERVER") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logout", "Log out from a registry") { server };
        command.SetAction(result =>
        {
            RegistryService.Logout(result.GetValue(server), Console.Out);
            return 0;
        });
        return command;
    }
}
