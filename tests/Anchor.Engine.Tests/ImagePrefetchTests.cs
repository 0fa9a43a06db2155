using System.Formats.Tar;
using Anchor.Engine.Run;
using Anchor.Images;
using Anchor.Images.Archives;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Engine.Tests;

/// <summary>The speculative image resolution of `anchor run` (one class: the prefetch is process-wide state).</summary>
public sealed class ImagePrefetchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("anchor-prefetch-").FullName;

    public ImagePrefetchTests()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            var passwd = new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd") { DataStream = new MemoryStream("root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"u8.ToArray()) };
            writer.WriteEntry(passwd);
        }

        tar.Position = 0;
        new RootfsImporter(new ImageStore(_root)).Import(tar, ImageReference.Parse("web:1"), new ContainerConfig { Cmd = ["sh"], User = "app" });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ResolvedImage? Prefetch(string[] args, string root, string name, string? user)
    {
        ImagePrefetch.Begin();
        ImagePrefetch.Run(args);
        return ImagePrefetch.Take(root, name, user);
    }

    [Fact]
    public void The_first_word_after_the_verb_that_names_an_image_is_resolved_with_the_images_user()
    {
        var image = Prefetch(["--root", _root, "run", "--name", "x", "-e", "A=b", "web:1", "sh"], _root, "web:1", null);

        Assert.NotNull(image);
        Assert.Equal(1000u, image.User.Uid);
        Assert.Equal("/home/app", image.Home);
        Assert.Single(image.LayersTopFirst);
    }

    [Fact]
    public void The_global_option_written_with_an_equals_sign_names_the_store_too()
    {
        Assert.NotNull(Prefetch([$"--root={_root}", "run", "web:1"], _root, "web:1", null));
    }

    [Fact]
    public void A_guess_is_not_used_for_another_image_store_or_user()
    {
        Assert.Null(Prefetch(["--root", _root, "run", "web:1"], _root, "other", null));
        Assert.Null(Prefetch(["--root", _root, "run", "web:1"], _root + "-elsewhere", "web:1", null));
        Assert.Null(Prefetch(["--root", _root, "run", "web:1"], _root, "web:1", "root"));
        Assert.NotNull(Prefetch(["--root", _root, "run", "web:1"], _root, "web:1", "app"));
    }

    [Fact]
    public void A_guess_is_taken_once()
    {
        Assert.NotNull(Prefetch(["--root", _root, "run", "web:1"], _root, "web:1", null));
        Assert.Null(ImagePrefetch.Take(_root, "web:1", null));
    }

    [Fact]
    public void A_missing_store_is_neither_read_nor_created()
    {
        var missing = Path.Combine(_root, "none");

        Assert.Null(Prefetch(["--root", missing, "run", "web:1"], missing, "web:1", null));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Take_without_a_prefetch_returns_nothing_at_once()
    {
        Assert.Null(ImagePrefetch.Take(_root, "web:1", null));
    }
}
