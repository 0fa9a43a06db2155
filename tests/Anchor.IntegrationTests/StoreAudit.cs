using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// Reads a store's files after its commands ended and checks that nothing is left over, exactly:
/// ROOT/ingest and ROOT/tmp hold no entry, ROOT/snapshots no .tmp-* directory; the blobs are
/// exactly those images refer to (config, manifest, manifest layers) plus those build-cache
/// entries refer to (step config, and its layers stored by DiffID); the snapshots are exactly the
/// ChainIDs of those images and cache entries, and every one of them exists; no mount mentions the
/// store; no anchor process of the given verb on this store is alive.
/// </summary>
internal static class StoreAudit
{
    public static void AssertNothingLeft(AnchorFixture anchor, string verb)
    {
        var root = anchor.Root;
        foreach (var scratch in (string[])["ingest", "tmp"])
        {
            var dir = Path.Combine(root, scratch);
            var left = Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir) : [];
            Assert.True(left.Length == 0, $"left in ROOT/{scratch}: {string.Join(", ", left.Select(Path.GetFileName))}");
        }

        var snapshotsDir = Path.Combine(root, "snapshots");
        var snapshotDirs = Directory.Exists(snapshotsDir) ? Directory.GetDirectories(snapshotsDir).Select(d => Path.GetFileName(d)!).ToList() : [];
        Assert.True(!snapshotDirs.Any(d => d.StartsWith('.')), "snapshot temporaries left: " + string.Join(", ", snapshotDirs.Where(d => d.StartsWith('.'))));

        var blobsDir = Path.Combine(root, "blobs", "sha256");
        var blobs = Directory.Exists(blobsDir) ? Directory.GetFiles(blobsDir).Select(f => "sha256:" + Path.GetFileName(f)).ToHashSet(StringComparer.Ordinal) : [];
        var wantedBlobs = new HashSet<string>(StringComparer.Ordinal);
        var wantedChains = new HashSet<string>(StringComparer.Ordinal);

        using (var images = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "images", "images.json"))))
        {
            foreach (var image in images.RootElement.GetProperty("images").EnumerateObject())
            {
                var manifestDigest = image.Value.GetProperty("manifest").GetString()!;
                Assert.True(blobs.Contains(manifestDigest), $"image {image.Name}: manifest {manifestDigest} missing");
                Assert.True(blobs.Contains(image.Name), $"image {image.Name}: config missing");
                using var manifest = JsonDocument.Parse(Blob(root, manifestDigest));
                wantedBlobs.Add(image.Name);
                wantedBlobs.Add(manifestDigest);
                foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
                {
                    var digest = layer.GetProperty("digest").GetString()!;
                    Assert.True(blobs.Contains(digest), $"image {image.Name}: layer {digest} missing");
                    wantedBlobs.Add(digest);
                }

                wantedChains.UnionWith(Chains(DiffIds(root, image.Name)));
            }
        }

        var index = Path.Combine(root, "build-cache", "index.json");
        if (File.Exists(index))
        {
            using var cache = JsonDocument.Parse(File.ReadAllBytes(index));
            foreach (var entry in cache.RootElement.EnumerateObject())
            {
                var config = entry.Value.GetString()!;
                Assert.True(blobs.Contains(config), $"build-cache entry {entry.Name} points at a missing config {config}");
                var diffIds = DiffIds(root, config);
                var chains = Chains(diffIds);
                Assert.True(chains.All(c => snapshotDirs.Contains(c)), $"build-cache entry {entry.Name} ({config}) points at missing snapshots");
                wantedBlobs.Add(config);
                wantedBlobs.UnionWith(diffIds.Select(d => "sha256:" + d).Where(blobs.Contains));
                wantedChains.UnionWith(chains);
            }
        }

        var orphanBlobs = blobs.Except(wantedBlobs).ToList();
        Assert.True(orphanBlobs.Count == 0, "blobs nothing refers to: " + string.Join(", ", orphanBlobs));
        var orphanSnapshots = snapshotDirs.Except(wantedChains).ToList();
        Assert.True(orphanSnapshots.Count == 0, "snapshots nothing refers to: " + string.Join(", ", orphanSnapshots));
        var missing = wantedChains.Except(snapshotDirs).ToList();
        Assert.True(missing.Count == 0, "snapshots referred to but missing: " + string.Join(", ", missing));

        var mounts = File.ReadAllLines("/proc/mounts").Where(l => l.Contains(anchor.TempDir, StringComparison.Ordinal)).ToList();
        Assert.True(mounts.Count == 0, "still mounted:\n" + string.Join('\n', mounts));
        var processes = Processes(anchor.Root, verb);
        Assert.True(processes.Count == 0, "anchor processes left: " + string.Join("; ", processes));
    }

    /// <summary>The command lines of live processes that name the store root and <paramref name="verb"/>.</summary>
    public static List<string> Processes(string root, string verb)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args.Contains(root) && args.Contains(verb))
                {
                    found.Add(Path.GetFileName(dir) + ": " + string.Join(' ', args));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    private static byte[] Blob(string root, string digest) => File.ReadAllBytes(Path.Combine(root, "blobs", "sha256", digest["sha256:".Length..]));

    /// <summary>The config's rootfs.diff_ids as hex.</summary>
    private static List<string> DiffIds(string root, string config)
    {
        using var doc = JsonDocument.Parse(Blob(root, config));
        return [.. doc.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!["sha256:".Length..])];
    }

    /// <summary>ChainIDs as hex (OCI image spec, config.md "Layer ChainID"): sha256 of "parent diffid".</summary>
    private static List<string> Chains(List<string> diffIds)
    {
        var chains = new List<string>();
        string? parent = null;
        foreach (var diffId in diffIds)
        {
            parent = parent is null ? diffId : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"sha256:{parent} sha256:{diffId}")));
            chains.Add(parent);
        }

        return chains;
    }
}
