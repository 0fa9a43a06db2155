using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// Issue 14's store consistency: <c>anchor system check [--repair]</c> on private stores. Problems
/// are made by hand (a snapshot directory, a layer blob or a manifest blob deleted), and the load,
/// pull, tag, save and rmi of one image in several orders must leave a store the check finds clean.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ImageStoreCheckTests(AnchorFixture anchor)
{
    private const string NoProblems = "no problems found";

    [Fact]
    public void Check_CleanStore_ExitsZero()
    {
        using var store = new PrivateStore(anchor, "check-clean");
        Assert.Equal(NoProblems, store.Ok("system", "check").Out);
        ImportUnique(store, "clean/app:1");
        store.Ok("tag", "clean/app:1", "clean/other:2");
        Assert.Equal(NoProblems, store.Ok("system", "check").Out);
        Assert.Equal(NoProblems, store.Ok("system", "check", "--repair").Out);
    }

    [Fact]
    public void Check_DeletedSnapshot_Reported_RepairUnpacksItAgain()
    {
        using var store = new PrivateStore(anchor, "check-snap");
        var unique = ImportUnique(store, "snap/app:1");
        var id = Id(store, "snap/app:1");
        var chainId = DiffIds(store, "snap/app:1").Single(); // One layer: its ChainID is its DiffID.
        Directory.Delete(Path.Combine(store.Dir, "root", "snapshots", chainId["sha256:".Length..]), recursive: true);

        var check = store.Run(["system", "check"]);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal($"image snap/app:1 ({id}): unpacked layer {chainId} (diff {chainId}) missing", check.Out);

        var repair = store.Run(["system", "check", "--repair"]);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains($"unpacked layer {chainId} (diff {chainId}) missing: repaired: unpacked again from blob {chainId}", repair.Out, StringComparison.Ordinal);
        Assert.Equal(NoProblems, store.Ok("system", "check").Out);
        Assert.Equal(unique, store.Ok("run", "--rm", "--network", "none", "snap/app:1", "cat", "/unique").Out);
    }

    [Fact]
    public void Check_DeletedLayerBlob_Reported_NotRepairable_SaveFails()
    {
        using var store = new PrivateStore(anchor, "check-blob");
        ImportUnique(store, "blob/app:1");
        var id = Id(store, "blob/app:1");
        var layer = DiffIds(store, "blob/app:1").Single(); // An imported layer's blob is its plain tar, named by its DiffID.
        File.Delete(BlobFile(store, layer));

        var check = store.Run(["system", "check"]);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal($"image blob/app:1 ({id}): layer {layer} missing", check.Out);

        // The uncompressed blob's bytes must hash to the DiffID: an unpacked directory cannot give them back.
        var repair = store.Run(["system", "check", "--repair"]);
        Assert.Equal(1, repair.ExitCode);
        Assert.Contains($"layer {layer} missing: not repaired: a layer blob cannot be re-made bit for bit from the unpacked layer", repair.Out, StringComparison.Ordinal);
        Assert.Contains("0 of 1 problems repaired", repair.Out, StringComparison.Ordinal);
        Assert.Equal(1, store.Run(["system", "check"]).ExitCode);
        var save = store.Run(["save", "-o", Path.Combine(store.Dir, "x.tar"), "blob/app:1"]);
        Assert.NotEqual(0, save.ExitCode);
    }

    [Fact]
    public void Check_CorruptedAndDeletedManifest_Reported_RepairWritesANewOne()
    {
        using var store = new PrivateStore(anchor, "check-manifest");
        var unique = ImportUnique(store, "man/app:1");
        var id = Id(store, "man/app:1");
        var manifest = ManifestDigest(store, id);
        File.Delete(BlobFile(store, manifest));

        var check = store.Run(["system", "check"]);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal($"image man/app:1 ({id}): manifest {manifest} missing", check.Out);

        var repair = store.Run(["system", "check", "--repair"]);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("repaired: wrote a new manifest naming the uncompressed layers", repair.Out, StringComparison.Ordinal);
        Assert.Equal(NoProblems, store.Ok("system", "check").Out);
        Assert.Equal(id, Id(store, "man/app:1"));
        var archive = Path.Combine(store.Dir, "man.tar");
        store.Ok("save", "-o", archive, "man/app:1");

        // A blob whose bytes changed is found by its digest.
        var config = BlobFile(store, id);
        File.SetAttributes(config, FileAttributes.Normal);
        File.AppendAllText(config, " ");
        var corrupt = store.Run(["system", "check"]);
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Equal($"image man/app:1 ({id}): config {id} corrupt (its content does not match its digest)", corrupt.Out);
        Assert.Equal(1, store.Run(["system", "check", "--repair"]).ExitCode);

        // Loading the archive again is the documented way out: the config is rewritten only if missing, so remove it first.
        File.Delete(config);
        store.Ok("load", "-i", archive);
        Assert.Equal(NoProblems, store.Ok("system", "check").Out);
        Assert.Equal(unique, store.Ok("run", "--rm", "--network", "none", "man/app:1", "cat", "/unique").Out);
    }

    /// <summary>
    /// The check holds the images lock while it reads: a load and an rmi of the same image running
    /// beside it, over and over, never make it see half an image.
    /// </summary>
    [Fact]
    public async Task Check_WhileLoadAndRmiRun_StaysClean()
    {
        using var store = new PrivateStore(anchor, "check-race");
        ImportUnique(store, "race/app:1");
        var archive = Path.Combine(store.Dir, "race.tar");
        store.Ok("save", "-o", archive, "race/app:1");
        store.Ok("rmi", "race/app:1");
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 8; i++)
            {
                store.Ok("load", "-i", archive);
                store.Ok("rmi", "race/app:1");
            }
        });
        var checks = 0;
        while (!writer.IsCompleted || checks == 0)
        {
            var check = store.Run(["system", "check"]);
            Assert.True(check.ExitCode == 0 && check.Out == NoProblems, $"check {checks}: {check}");
            checks++;
        }

        await writer;
        Assert.Equal(NoProblems, store.Ok("system", "check").Out);
    }

    /// <summary>
    /// Load, pull, tag, save and rmi of one image (the archive and the registry hold the same image
    /// ID, plain tar layers in the archive, gzip layers in the registry) in several orders: after
    /// every step the check is clean and save of every remaining tag works.
    /// </summary>
    [Fact]
    public void LoadPullTagSaveRmi_InSeveralOrders_CheckStaysClean()
    {
        using var registry = new RegistryServer();
        var remote = $"{registry.Host}/orders/app:1";
        const string Local = "orders/app:1";
        const string Extra = "orders/extra:2";
        var archive = Path.Combine(anchor.TempDir, "orders-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        string unique;
        using (var source = new PrivateStore(anchor, "check-src"))
        {
            unique = ImportUnique(source, Local);
            source.Ok("save", "-o", archive, Local);
            source.Ok("tag", Local, remote);
            source.Ok("push", remote);
        }

        string[][] orders =
        [
            ["load", "pull", "tag", "save", "rmi-local", "save", "rmi-remote", "save", "rmi-extra"],
            ["pull", "load", "save", "tag", "rmi-remote", "save", "rmi-local", "rmi-extra"],
            ["load", "tag", "pull", "rmi-extra", "save", "rmi-local", "load", "save", "rmi-remote", "rmi-local"],
            ["pull", "tag", "rmi-remote", "load", "save", "pull", "rmi-local", "rmi-extra", "save", "rmi-remote"],
            ["load", "rmi-local", "pull", "load", "save", "rmi-remote", "pull", "save", "rmi-local", "rmi-remote"],
        ];
        try
        {
            foreach (var order in orders)
            {
                using var store = new PrivateStore(anchor, "check-order");
                var tags = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var step in order)
                {
                    var where = $"order {string.Join(',', order)}, after {step}";
                    switch (step)
                    {
                        case "load":
                            store.Ok("load", "-i", archive);
                            tags.Add(Local);
                            break;
                        case "pull":
                            store.Ok("pull", remote);
                            tags.Add(remote);
                            break;
                        case "tag":
                            store.Ok("tag", tags.First(), Extra);
                            tags.Add(Extra);
                            break;
                        case "save":
                            store.Ok(["save", "-o", Path.Combine(store.Dir, "saved.tar"), .. tags]);
                            break;
                        default:
                            var tag = step switch { "rmi-local" => Local, "rmi-remote" => remote, _ => Extra };
                            store.Ok("rmi", tag);
                            tags.Remove(tag);
                            break;
                    }

                    var check = store.Run(["system", "check"]);
                    Assert.True(check.ExitCode == 0 && check.Out == NoProblems, $"{where}: {check}");
                }

                Assert.Equal("", store.Ok("images", "-q").Out);
            }

            // The pulled image runs and is the loaded one.
            using var last = new PrivateStore(anchor, "check-run");
            last.Ok("load", "-i", archive);
            last.Ok("pull", remote);
            Assert.Equal(Id(last, Local), Id(last, remote));
            Assert.Equal(unique, last.Ok("run", "--rm", "--network", "none", remote, "cat", "/unique").Out);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private string ImportUnique(PrivateStore store, string reference)
    {
        var unique = Guid.NewGuid().ToString("N");
        var tar = Path.Combine(store.Dir, "import-" + unique[..8] + ".tar");
        Directory.CreateDirectory(store.Dir);
        using (var builder = new TarBuilder().CopyFrom(anchor.BusyboxTar).File("unique", unique))
        {
            File.WriteAllBytes(tar, builder.ToArray());
        }

        store.Ok("import", "--change", "CMD [\"sh\"]", tar, reference);
        File.Delete(tar);
        return unique;
    }

    private static string Id(PrivateStore store, string reference) => store.Ok("images", "-q", "--no-trunc", reference).Out;

    private static string[] DiffIds(PrivateStore store, string reference)
    {
        using var doc = JsonDocument.Parse(store.Ok("image", "inspect", "--format", "{{json .RootFS.Layers}}", reference).Out);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string ManifestDigest(PrivateStore store, string id)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store.Dir, "root", "images", "images.json")));
        return doc.RootElement.GetProperty("images").GetProperty(id).GetProperty("manifest").GetString()!;
    }

    private static string BlobFile(PrivateStore store, string digest) =>
        Path.Combine(store.Dir, "root", "blobs", "sha256", digest["sha256:".Length..]);
}
