namespace Anchor.Engine.Run;

/// <summary>
/// Guesses, before System.CommandLine has parsed anything, whether an `anchor run` command line
/// will want the default set of new namespaces started directly (see Runtime's
/// ContainerLauncher.Prestart). A wrong guess costs only a discarded thread, never correctness:
/// the launcher compares the namespaces it is finally asked for.
/// </summary>
public static class RunPrestart
{
    public static bool DefaultNamespacesLikely(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            // --network host or container:NAME share a namespace instead of making one; every
            // other mode (none, bridge, a user network) makes a new one, as the default does.
            var network = arg is "--network" or "--net" ? (i + 1 < args.Count ? args[i + 1] : "")
                : arg.StartsWith("--network=", StringComparison.Ordinal) || arg.StartsWith("--net=", StringComparison.Ordinal) ? arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..]
                : null;
            if (network is "host" || (network?.StartsWith("container:", StringComparison.Ordinal) ?? false))
            {
                return false;
            }

            // A detached run starts its container in the monitor's process, where a thread made here
            // would be wasted. A terminal is left out too; the direct spawn could adopt it now
            // (SpawnStdio makes the pty), which only the head start would gain.
            if (arg.StartsWith("--tty", StringComparison.Ordinal) || arg.StartsWith("--detach", StringComparison.Ordinal))
            {
                return false;
            }

            // A cluster of short flags with -t or -d (-it, -dit); the command's own flags count too,
            // which only loses the head start.
            if (arg.Length > 1 && arg[0] == '-' && arg[1] != '-' && arg.AsSpan(1).IndexOfAny('t', 'd') >= 0 && arg.AsSpan(1).IndexOfAnyExceptInRange('a', 'z') < 0)
            {
                return false;
            }
        }

        return true;
    }
}
