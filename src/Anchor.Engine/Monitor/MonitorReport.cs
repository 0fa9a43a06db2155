using System.Globalization;
using Anchor.Linux;

namespace Anchor.Engine.Monitor;

/// <summary>
/// The first-start report a monitor sends its launcher on the ready pipe: "ok", or
/// "error CODE KIND ORIGIN MESSAGE" (ORIGIN "daemon" or "client"), so that the launcher raises the
/// failure with the exit code, kind and origin the monitor saw, not just its text.
/// </summary>
public static class MonitorReport
{
    public const string Ok = "ok";

    public static string Failure(int exitCode, string message, EngineErrorKind kind = EngineErrorKind.Internal, bool fromDaemon = false) =>
        string.Create(CultureInfo.InvariantCulture, $"error {exitCode} {kind} {(fromDaemon ? "daemon" : "client")} {message}");

    /// <summary>The report of a start that threw <paramref name="e"/>: an engine failure keeps its kind and origin.</summary>
    public static string Failure(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e is EngineException engine
            ? Failure(engine.StartFailure ? engine.ExitCode : ExitCodes.EngineError, ErrorText.Of(e), engine.Kind, engine.FromDaemon)
            : Failure(ExitCodes.EngineError, ErrorText.Of(e));
    }

    /// <summary>The failure a report line says, as a start failure (docker's ContainerStart); null for "ok" or a line of another shape.</summary>
    public static EngineException? Parse(string? line)
    {
        var parts = line?.Split(' ', 5);
        if (parts is not ["error", var code, var kind, var origin, var message] ||
            !int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exitCode) ||
            !Enum.TryParse<EngineErrorKind>(kind, out var parsedKind))
        {
            return null;
        }

        return new EngineException(message, exitCode) { Kind = parsedKind, FromDaemon = origin == "daemon", StartFailure = true };
    }
}
