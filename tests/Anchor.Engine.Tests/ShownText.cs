namespace Anchor.Engine.Tests;

/// <summary>
/// The text docker's CLI shows for an engine failure: "Error response from daemon: " before the
/// daemon's failures, the message alone for the client's. Tests compare it with docker's output.
/// </summary>
internal static class ShownText
{
    public static string Shown(this EngineException e) => (e.FromDaemon ? "Error response from daemon: " : "") + e.Message;
}
