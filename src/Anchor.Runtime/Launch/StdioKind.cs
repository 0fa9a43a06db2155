namespace Anchor.Runtime.Launch;

/// <summary>How a container process gets its stdio.</summary>
public enum StdioKind
{
    /// <summary>The launcher's own (a foreground run, a build step); stdin is /dev/null unless kept open.</summary>
    Inherit,

    /// <summary>Pipes whose other ends the launcher keeps (the monitor: logs and attach).</summary>
    Pipes,

    /// <summary>A pty of the container's own devpts: the slave is its controlling terminal, the launcher keeps the master.</summary>
    Terminal,
}
