using System.Text.Json;
using Anchor.Linux;
using Anchor.Oci;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime;

/// <summary>
/// An OCI bundle: a directory holding config.json (runtime spec, bundle.md). The rootfs itself is
/// described by <see cref="Spec.Root"/> and, for overlay roots, by the mount whose destination is "/".
/// </summary>
public sealed class Bundle
{
    public const string ConfigFile = "config.json";

    public Bundle(string directory) => Directory = directory;

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, ConfigFile);

    /// <summary>Writes config.json 0600: it holds the process's environment (the -e values).</summary>
    public void Write(Spec spec, bool durable = true) =>
        AtomicFile.WriteAllBytes(ConfigPath, JsonSerializer.SerializeToUtf8Bytes(spec, SpecWriteJsonContext.Default.Spec), durable, FileModes.PrivateFile);

    public Spec Read() =>
        JsonSerializer.Deserialize(File.ReadAllBytes(ConfigPath), OciJsonContext.Default.Spec)
        ?? throw new InvalidDataException($"{ConfigPath}: empty runtime spec");
}
