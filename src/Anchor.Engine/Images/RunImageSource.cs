using Anchor.Engine.Run;
using Anchor.Images;

namespace Anchor.Engine.Images;

/// <summary>
/// Where run and create get their image, by <c>--pull</c> and <c>--platform</c> (docker/cli
/// container/create.go; the daemon's GetImage platform check). missing: the store's image, pulled
/// when absent; always: pulled first; never: the store's or docker's "No such image". With
/// --platform, a stored image of another platform counts as absent (docker's NotFound), so
/// missing pulls that platform and never reports the mismatch.
/// </summary>
public static class RunImageSource
{
    public static StoredImage Resolve(ImageStore images, RunOptions options, string display, TextWriter progress)
    {
        var wanted = options.Platform is null ? null : PlatformArgument.Parse(options.Platform);
        if (options.Pull == PullPolicy.Always)
        {
            return RunPull.Pull(images, options.Image, options.Platform, progress);
        }

        var image = images.Find(options.Image, lazy: true);
        string? mismatch = null;
        if (image is not null && wanted is not null && !PlatformArgument.Matches(wanted, image.Config.Os, image.Config.Architecture))
        {
            mismatch = $"image with reference {options.Image} was found but does not match the specified platform: "
                + $"wanted {PlatformArgument.Format(wanted)}, actual: {image.Config.Os}/{image.Config.Architecture}";
            image = null;
        }

        if (image is not null)
        {
            return image;
        }

        return options.Pull == PullPolicy.Never
            ? throw new EngineException(mismatch ?? $"No such image: {display}")
            : RunPull.Missing(images, options.Image, display, options.Platform, progress);
    }
}
