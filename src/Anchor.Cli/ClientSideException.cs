using Anchor.Engine;

namespace Anchor.Cli;

/// <summary>
/// A failure docker's CLI words itself and returns as it is: its main prints the message bare and
/// exits 1, even in run, which adds "docker: " and the usage hint only to a failed create or start.
/// </summary>
public sealed class ClientSideException : Exception
{
    public ClientSideException() { }

    public ClientSideException(string message) : base(message) { }

    public ClientSideException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// <paramref name="call"/>, with a missing object worded as docker's client words the 404 of
    /// some of its calls (client/errors.go wrapResponseError: volume and network inspect and rm):
    /// "Error: No such OBJECT: NAME".
    /// </summary>
    public static T NotFoundAs<T>(string objectType, string name, Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return call();
        }
        catch (EngineException e) when (e.NotFound)
        {
            throw new ClientSideException($"Error: No such {objectType}: {name}", e);
        }
    }
}
