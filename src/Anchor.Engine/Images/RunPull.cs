using Anchor.Images;

namespace Anchor.Engine.Images;

/// <summary>
/// docker run with an image that is not there: "Unable to find image 'x:latest' locally" and a
/// pull, all on stderr (stdout belongs to the container); a failed pull exits 125 like docker run.
/// </summary>
public static class RunPull
{
    public static StoredImage Missing(ImageStore images, string name, string display)
    {
        Console.Error.WriteLine($"Unable to find image '{display}' locally");
        return new RegistryService(images).Pull(name, null, Console.Error, quiet: false, ExitCodes.EngineError, printReference: false);
    }
}
