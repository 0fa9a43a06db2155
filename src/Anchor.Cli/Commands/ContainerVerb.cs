using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary>
/// The shape of docker's verbs that act on several containers in turn (stop, kill, start…):
/// each one is tried, failures go to stderr as docker prints them, and the exit code is 1 if any failed.
/// </summary>
public static class ContainerVerb
{
    public static int ForEach(IEnumerable<string> names, Action<string> act, bool echo = true)
    {
        var code = 0;
        foreach (var name in names)
        {
            try
            {
                act(name);
                if (echo)
                {
                    Console.WriteLine(name);
                }
            }
            catch (EngineException e)
            {
                Console.Error.WriteLine($"Error response from daemon: {e.Message}");
                code = 1;
            }
        }

        return code;
    }

    public static Argument<string[]> Containers() => new("CONTAINER") { Arity = ArgumentArity.OneOrMore };
}
