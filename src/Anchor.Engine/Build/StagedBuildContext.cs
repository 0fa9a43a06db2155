using Anchor.Engine.Copy;
using Anchor.Images;
using Anchor.Images.Layers;
using Anchor.Linux;

namespace Anchor.Engine.Build;

/// <summary>
/// A build context or Dockerfile given on stdin (docker build reference, "Build with -"): a tar
/// archive (plain, gzip or zstd) is the context; anything else is a Dockerfile alone, with an empty
/// context. `-f -` gives the Dockerfile only. It is staged in a private directory of the store's
/// tmp/, named after this process, so that a killed build leaves nothing the store's sweeper does
/// not reclaim; the archive is extracted confined to that directory (openat2 RESOLVE_IN_ROOT, no
/// final symlink followed: <see cref="TreeExtractor"/>), whatever its entry names or links say.
/// </summary>
public sealed class StagedBuildContext : IDisposable
{
    private readonly string _dir;

    private StagedBuildContext(string dir, string contextDirectory, string? dockerfilePath)
    {
        _dir = dir;
        ContextDirectory = contextDirectory;
        DockerfilePath = dockerfilePath;
    }

    public string ContextDirectory { get; }

    /// <summary>The Dockerfile read from stdin, or null when the context holds it (an archive).</summary>
    public string? DockerfilePath { get; }

    /// <summary>`build -`: a context archive or a bare Dockerfile, told apart by the first bytes.</summary>
    public static StagedBuildContext FromStdin(ImageStore store, Stream input)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        var dir = MakeDirectory(store);
        try
        {
            var head = new byte[512];
            head = head[..input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
            var whole = new PrefixedStream(head, input);
            var context = Path.Combine(dir, "context");
            PrivateDirectory.Create(context);
            if (Decompressor.Detect(head) != Compression.None || TarMagic.IsUstar(head))
            {
                using var plain = Decompressor.Open(whole, out _);
                using var root = ScopedRoot.Confined(context);
                new TreeExtractor(root, "/", new CopyPlan("/", null, null), owner: null).Extract(plain);
                return new StagedBuildContext(dir, context, null);
            }

            return new StagedBuildContext(dir, context, WriteDockerfile(dir, whole));
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>`build -f - PATH`: the Dockerfile from stdin, the context from PATH.</summary>
    public static StagedBuildContext DockerfileFromStdin(ImageStore store, Stream input, string contextDirectory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        var dir = MakeDirectory(store);
        try
        {
            return new StagedBuildContext(dir, contextDirectory, WriteDockerfile(dir, input));
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    private static string WriteDockerfile(string dir, Stream input)
    {
        var dockerfile = Path.Combine(dir, "Dockerfile");
        using var file = File.Create(dockerfile);
        input.CopyTo(file);
        return dockerfile;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string MakeDirectory(ImageStore store)
    {
        var dir = store.NewTempFile("context");
        PrivateDirectory.Create(dir);
        return dir;
    }
}
