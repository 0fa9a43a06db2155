using Anchor.Build;
using Anchor.Engine.Containers;
using Anchor.Images;
using Anchor.Linux;

namespace Anchor.Engine.Build;

/// <summary><c>anchor build</c>: the builder over this store, RUN steps through <see cref="ContainerBuildHost"/>.</summary>
/// <param name="errors">Where a RUN step that could not start is reported (the caller's; docker's CLI shows it on stderr).</param>
public sealed class BuildService(AnchorPaths paths, ImageStore images, ContainerStore containers, TextWriter errors)
{
    /// <param name="settings">--add-host, --shm-size and --ulimit for every RUN step (null: none).</param>
    public BuildResult Build(BuildRequest request, BuildRunSettings? settings = null)
    {
        try
        {
            var result = new Builder(images, new ContainerBuildHost(paths, containers, errors, settings, images)).Build(request);
            Events.EventLog.Emit(paths, Events.EventLog.Image(result.Image.Id.ToString(), result.Image.Id.ToString(), "build"));
            return result;
        }
        catch (BuildException e)
        {
            throw new EngineException(e.Message, e.ExitCode);
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message, 1);
        }
        catch (LinuxException e)
        {
            throw new EngineException(e.Message, 1);
        }
    }
}
