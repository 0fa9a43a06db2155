using System.CommandLine;
using Anchor.Engine;
using Anchor.Linux;

namespace Anchor.Cli.Commands;

/// <summary>
/// The shape of docker's verbs that act on several containers in turn (stop, kill, start…):
/// each one is tried, failures go to stderr as docker prints them, and the exit code is 1 if any failed.
/// </summary>
public static class ContainerVerb
{
    public static int ForEach(IEnumerable<string> names, Action<string> act, bool echo = true) =>
        ForEach(names, act, echo, failed: null);

    /// <summary>As <see cref="ForEach(IEnumerable{string}, Action{string}, bool)"/>; the names that failed are added to <paramref name="failed"/>.</summary>
    public static int ForEach(IEnumerable<string> names, Action<string> act, bool echo, ICollection<string>? failed)
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
            catch (Exception e) when (e is EngineException or ClientSideException || Reportable(e))
            {
                Console.Error.WriteLine(CliErrors.FromDaemon(CliErrors.TextOf(e)));
                failed?.Add(name);
                code = 1;
            }
        }

        return code;
    }

    /// <summary>
    /// Failures of one container that must not stop the verb for the others (docker goes on too):
    /// the system's refusals, not bugs (those reach the top-level handler).
    /// </summary>
    public static bool Reportable(Exception e) => e is LinuxException or IOException or UnauthorizedAccessException or Anchor.Runtime.Cgroups.CgroupException;

    public static Argument<string[]> Containers() => new("CONTAINER") { Arity = ArgumentArity.OneOrMore };
}
