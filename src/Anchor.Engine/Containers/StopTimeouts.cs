namespace Anchor.Engine.Containers;

/// <summary>
/// How long stop and restart wait between the stop signal and SIGKILL (docker's daemon,
/// container.StopTimeout): the -t given, else the container's --stop-timeout, else 10 seconds.
/// A negative value waits for ever.
/// </summary>
public static class StopTimeouts
{
    /// <summary>docker's defaultStopTimeout.</summary>
    public const int Default = 10;

    public static int Effective(int? requested, Run.RunOptions? options) => requested ?? options?.StopTimeout ?? Default;
}
