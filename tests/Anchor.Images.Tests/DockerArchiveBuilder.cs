using System.Formats.Tar;
using System.Text.Json;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Tests;

/// <summary>Writes docker save style archives: manifest.json, &lt;id&gt;.json config, &lt;n&gt;/layer.tar.</summary>
public static class DockerArchiveBuilder
{
    public static byte[] Config(IEnumerable<byte[]> uncompressedLayers, string[]? cmd = null) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new ImageConfig
            {
                Created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Config = new ContainerConfig { Cmd = cmd ?? ["sh"] },
                RootFs = new RootFs { DiffIds = [.. uncompressedLayers.Select(l => Digest.Sha256(l))] },
            },
            OciJsonContext.Default.ImageConfig);

    /// <summary>An archive with one image; <paramref name="layerFiles"/> are stored as given (maybe gzipped).</summary>
    public static byte[] Build(byte[] config, IReadOnlyList<byte[]> layerFiles, string[] repoTags, bool manifestLast = true)
    {
        var configName = Digest.Sha256(config).Encoded + ".json";
        var layerNames = layerFiles.Select((_, i) => $"layer{i}/layer.tar").ToList();
        var tags = string.Join(',', repoTags.Select(t => $"\"{t}\""));
        var manifest = $"[{{\"Config\":\"{configName}\",\"RepoTags\":[{tags}],\"Layers\":[{string.Join(',', layerNames.Select(n => $"\"{n}\""))}]}}]";
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (!manifestLast)
            {
                Add(w, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest));
            }

            Add(w, configName, config);
            for (var i = 0; i < layerFiles.Count; i++)
            {
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"layer{i}/"));
                Add(w, layerNames[i], layerFiles[i]);
            }

            if (manifestLast)
            {
                Add(w, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest));
            }
        }

        return ms.ToArray();
    }

    public static void Add(TarWriter w, string name, byte[] data) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
}
