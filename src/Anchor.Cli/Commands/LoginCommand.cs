using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Images;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor login [-u USER] [-p PASSWORD | --password-stdin] [SERVER]</c>: credentials are checked
/// against the registry, then kept in config.json (ANCHOR_CONFIG or ~/.anchor) as docker does.
/// </summary>
public static class LoginCommand
{
    public static Command Create()
    {
        var user = new Option<string?>("--username", "-u") { Description = "Username" };
        var password = new Option<string?>("--password", "-p") { Description = "Password or Personal Access Token (PAT)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Take the Password or Personal Access Token (PAT) from stdin" };
        var server = new Argument<string?>("SERVER") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("login", "Authenticate to a registry") { user, password, passwordStdin, server };
        command.SetAction(result =>
        {
            var username = result.GetValue(user);
            var secret = result.GetValue(password);
            if (result.GetValue(passwordStdin))
            {
                if (secret is not null)
                {
                    throw new EngineException("--password and --password-stdin are mutually exclusive", 1);
                }

                if (username is null)
                {
                    throw new EngineException("Must provide --username with --password-stdin", 1);
                }

                secret = Console.In.ReadToEnd().TrimEnd('\n', '\r');
            }
            else if (secret is not null)
            {
                Console.Error.WriteLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            }

            if (username is null)
            {
                Console.Write("Username: ");
                username = Console.ReadLine()?.Trim();
            }

            if (secret is null)
            {
                Console.Write("Password: ");
                secret = Console.ReadLine();
                Console.WriteLine();
            }

            if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(secret))
            {
                throw new EngineException("Error: Cannot perform an interactive login from a non TTY device", 1);
            }

            RegistryService.Login(result.GetValue(server), username, secret, Console.Out);
            return 0;
        });
        return command;
    }
}
