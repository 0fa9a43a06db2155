namespace Anchor.Engine.Run;

/// <summary>
/// <c>-a/--attach</c>: which of the container's streams a foreground <c>run</c> connects
/// (docker/cli container/opts.go: validateAttach and parse). Without <c>-a</c>, stdout and
/// stderr; <c>-i</c> always attaches stdin as well.
/// </summary>
public static class AttachStreams
{
    public const string Stdin = "stdin";
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";

    /// <summary>One <c>-a</c> value, case-insensitive, stored lower-case (docker's validateAttach).</summary>
    public static string Parse(string value)
    {
        var stream = value.ToLowerInvariant();
        return stream is Stdin or Stdout or Stderr
            ? stream
            : throw new EngineException($"invalid argument \"{value}\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
    }

    /// <summary>Config.AttachStdin before detaching: -i, or -a stdin.</summary>
    public static bool AttachesStdin(RunOptions options) => options.Interactive || Has(options, Stdin);

    /// <summary>Config.AttachStdout before detaching: no -a at all, or -a stdout.</summary>
    public static bool AttachesStdout(RunOptions options) => options.Attach is not { Count: > 0 } || Has(options, Stdout);

    /// <summary>Config.AttachStderr before detaching: no -a at all, or -a stderr.</summary>
    public static bool AttachesStderr(RunOptions options) => options.Attach is not { Count: > 0 } || Has(options, Stderr);

    private static bool Has(RunOptions options, string stream) => options.Attach?.Contains(stream, StringComparer.Ordinal) == true;
}
