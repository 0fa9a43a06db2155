namespace Anchor.Engine.Attach;

/// <summary>What an attaching client relays (docker attach's and start -a's flags).</summary>
public sealed record AttachOptions
{
    /// <summary>Relay our stdin to the container (it must have been created with -i).</summary>
    public bool Stdin { get; init; }

    /// <summary>StdinOnce: when our stdin ends, the container's stdin is closed (start -ai).</summary>
    public bool StdinOnce { get; init; }

    /// <summary>Forward SIGINT/SIGTERM/SIGHUP/SIGQUIT to the container (ignored with a terminal: keys go through the pty).</summary>
    public bool SigProxy { get; init; } = true;

    public byte[] DetachKeys { get; init; } = Attach.DetachKeys.Parse(Attach.DetachKeys.Default);
}
