using Anchor.Oci.Image;

namespace Anchor.Build;

/// <summary>
/// A RUN step for the host to execute: a container of the parent image (its layers, top first),
/// the command, the build args to add to the image's environment, and the config's user and
/// working directory. <see cref="Quiet"/> sends the command's output nowhere (<c>build -q</c>);
/// otherwise it goes to <see cref="Output"/>, or with none to the host process's own stdout and stderr.
/// </summary>
public sealed record RunStepRequest(
    ContainerConfig Config,
    IReadOnlyList<string> LayersTopFirst,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> BuildArgEnv,
    bool Quiet,
    Stream? Output = null,
    bool NoNetwork = false)
{
    /// <summary>The step's <c>RUN --mount</c>s (and a here-document script), after the container's own mounts.</summary>
    public IReadOnlyList<Anchor.Oci.Runtime.SpecMount> Mounts { get; init; } = [];
}
