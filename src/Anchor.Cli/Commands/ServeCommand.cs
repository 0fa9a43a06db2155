using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor serve [-H unix:///PATH] [-H tcp://ADDR:PORT]… [--group NAME] [--debug]</c>: the Docker
/// Engine API on a unix socket (and, only when asked for, unauthenticated TCP, as dockerd without TLS). The server is its own NativeAOT program, <c>anchor-serve</c> next to this binary (Kestrel
/// linked into <c>anchor</c> would weigh on every container's start-up); this verb execs it with the
/// store's paths and names this binary as the one to re-execute for monitors (<see cref="StageBinary"/>).
/// </summary>
public static class ServeCommand
{
    public const string ServerName = "anchor-serve";

    public static Command Create()
    {
        var host = new Option<string[]>("--host", "-H") { Description = "Socket(s) to listen on: unix:///PATH (default unix://RUNROOT/anchor.sock) or tcp://ADDR:PORT" };
        var group = new Option<string?>("--group", "-G") { Description = "Group for the unix socket (default docker, else root)" };
        var command = new Command("serve", "Serve the Docker Engine API on a unix socket") { host, group };
        command.SetAction(result =>
        {
            var self = Environment.ProcessPath ?? throw new EngineException("cannot find the anchor binary");
            var server = Path.Combine(Path.GetDirectoryName(self)!, ServerName);
            if (!File.Exists(server))
            {
                throw new EngineException($"{server} not found: anchor serve needs the API server installed next to anchor");
            }

            var paths = GlobalOptions.Paths(result);
            List<string> argv = [ServerName, "--root", paths.Root, "--runroot", paths.RunRoot];
            foreach (var h in result.GetValue(host) ?? [])
            {
                argv.AddRange(["-H", h]);
            }

            if (result.GetValue(group) is { } g)
            {
                argv.AddRange(["--group", g]);
            }

            if (result.GetValue(GlobalOptions.Debug))
            {
                argv.Add("--debug");
            }

            var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k != StageBinary.Variable)
                .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
                .Append($"{StageBinary.Variable}={self}")
                .ToList();
            Anchor.Linux.ProcessImage.Replace(server, argv, environment);
            return ExitCodes.EngineError;
        });
        return command;
    }
}
