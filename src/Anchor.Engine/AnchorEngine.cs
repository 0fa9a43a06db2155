using Anchor.Engine.Build;
using Anchor.Engine.Containers;
using Anchor.Engine.Images;
using Anchor.Engine.Run;
using Anchor.Images;

namespace Anchor.Engine;

/// <summary>The engine's services over one store: what every CLI verb starts from.</summary>
public sealed class AnchorEngine
{
    private ImageStore? _images;
    private ContainerStore? _containers;

    /// <summary>Every verb starts here, so this is where a store is made private (or made at all).</summary>
    public AnchorEngine(AnchorPaths paths)
    {
        State.StorePermissions.Ensure(paths);
        Paths = paths;
    }

    public AnchorPaths Paths { get; }

    /// <summary>
    /// Where the engine reports the progress of work a verb asked for (run's pull of a missing
    /// image): the caller's stream, nothing by default. The engine never writes to the process's
    /// own stdout or stderr, which are not its caller's in a server.
    /// </summary>
    public TextWriter Progress { get; init; } = TextWriter.Null;

    /// <summary>A namespace thread its owner started ahead for the next foreground run (the CLI's, made before the parse).</summary>
    public Runtime.Launch.NamespacePrestart? Prestart { get; init; }

    public ImageStore Images => _images ??= new ImageStore(Paths.Root);

    public ContainerStore Containers => _containers ??= new ContainerStore(Paths);

    public ContainerPreparer Preparer => new(Paths, Images, Containers, Progress);

    public ContainerRunner Runner => new(Paths, Preparer, Containers) { Prestart = Prestart };

    public ContainerLifecycle Lifecycle => new(Paths, Containers, Preparer);

    public ContainerSweeper Sweeper => new(Paths, Containers);

    public ExecRunner Exec => new(Paths, Containers, Images);

    public Attach.AttachService Attach => new(Paths, Containers);

    public Volumes.VolumeService Volumes => new(new Volumes.VolumeStore(Paths), Containers);

    public ImageService ImageService => new(Images, Containers);

    public BuildService Builds => new(Paths, Images, Containers, Progress);

    public ContainerChanges Changes => new(Paths, Images, Containers);

    public Copy.ContainerCopier Copier => new(Paths, Containers);

    public Copy.ContainerExporter Exporter => new(Paths, Containers);

    public Copy.ContainerArchive Archive => new(Paths, Containers);
}
