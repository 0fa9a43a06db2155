namespace Anchor.Build;

/// <summary>
/// What the builder needs from the engine: running a RUN step in a container of the same runtime
/// as <c>anchor run</c>, and resolving <c>--chown</c> names against an image's /etc/passwd.
/// </summary>
public interface IBuildHost
{
    /// <summary>
    /// Runs the step and returns its exit code. <paramref name="started"/> gets the container ID
    /// before the command runs; <paramref name="exited"/> gets the overlay upper directory after a
    /// successful exit, before the container is removed. Nothing of the container remains afterwards.
    /// </summary>
    int Run(RunStepRequest request, Action<string> started, Action<string> exited);

    (uint Uid, uint Gid) ResolveOwner(string spec, IReadOnlyList<string> layersTopFirst);

    /// <summary>
    /// Pulls an image for a FROM (missing, or every time with <c>--pull</c>), the pull's lines on
    /// <paramref name="log"/>; a failed pull throws. The default: this host cannot pull.
    /// </summary>
    Images.StoredImage Pull(string reference, TextWriter? log) =>
        throw new BuildException($"pull access denied for {reference}: anchor build cannot pull here");
}
