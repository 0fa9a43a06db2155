using System.CommandLine;
using System.Reflection;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor version</c>.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Show the Anchor version information");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
            Console.WriteLine($"Anchor version {version}");
            Console.WriteLine($" OS/Arch: linux/amd64, runtime {Environment.Version}, NativeAOT");
            return 0;
        });
        return command;
    }
}
