using Anchor.Images;

namespace Anchor.Engine.Images;

/// <summary>
/// docker run with an image that is not there: "Unable to find image 'x:latest' locally" and a
/// pull, written to the caller's <paramref name="progress"/> (docker's CLI: stderr, as stdout
/// belongs to the container); a failed pull exits 125 like docker run.
/// </summary>
public static class RunPull
{
    public static StoredImage Missing(ImageStore images, string name, string display, string? platform, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        progress.WriteLine($"Unable to find image '{display}' locally");
        return Pull(images, name, platform, progress);
    }

    /// <summary>The pull itself (run --pull always starts here, without the "Unable to find" line).</summary>
    public static StoredImage Pull(ImageStore images, string name, string? platform, TextWriter progress) =>
        new RegistryService(images).Pull(name, platform, progress, quiet: false, ExitCodes.EngineError, printReference: false);
}
