using System.Security.Cryptography;
using System.Text;
using Anchor.Build.Context;
using Anchor.Images;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Build.Mounts;

/// <summary>
/// The spec mounts of one RUN step's <c>--mount</c> flags and what they hold while the step runs:
/// cache directories (persistent under the store, keyed by id, flock'ed for sharing=locked),
/// copies of secrets, scratch upper directories for rw binds. None of it is in the step's layer:
/// the mount points the runtime had to create are removed from the upper directory afterwards
/// (<see cref="RemoveStubs"/>), as BuildKit removes its mount stubs. Disposing releases the
/// locks and deletes the temporary files.
/// </summary>
internal sealed class RunMountSet : IDisposable
{
    private readonly List<string> _temporary = [];
    private readonly List<FileLock> _locks = [];
    private readonly List<string> _stubs = [];

    public List<SpecMount> Mounts { get; } = [];

    /// <summary>The persistent directory of a cache mount id: under the store, one per id.</summary>
    public static string CacheDirectory(ImageStore store, string id) =>
        Path.Combine(store.Root, "build-cache-mounts", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))));

    /// <param name="layersOf">Layer directories, top first, of a stage or image named by a bind's <c>from</c>.</param>
    /// <param name="secrets">`build --secret id=ID,src=FILE`: ID to host file.</param>
    /// <param name="secretValues">`build --secret id=ID,env=VAR`: ID to the variable's value.</param>
    public static RunMountSet Prepare(
        IReadOnlyList<RunMount> mounts, ImageStore store, string contextDirectory, Func<string, IReadOnlyList<string>> layersOf,
        IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> secretValues, ISourceTree image)
    {
        var set = new RunMountSet();
        try
        {
            foreach (var mount in mounts)
            {
                var target = "/" + IgnorePattern.CleanPath(mount.Target);
                if (target == "/")
                {
                    throw new BuildException($"invalid mount target \"{mount.Target}\": cannot mount over /");
                }

                var spec = mount.Type switch
                {
                    RunMount.Cache => set.Cache(mount, store, target, mount.From is null ? null : layersOf(mount.From)),
                    RunMount.Tmpfs => new SpecMount
                    {
                        Destination = target, Type = "tmpfs", Source = "tmpfs",
                        Options = ["nosuid", "nodev", .. mount.Size is { } size ? [$"size={size}"] : Array.Empty<string>()],
                    },
                    RunMount.Secret => set.Secret(mount, store, secrets, secretValues, target),
                    _ => set.Bind(mount, store, mount.From is null ? [contextDirectory] : layersOf(mount.From), target),
                };
                if (spec is not null)
                {
                    set.Mounts.Add(spec);
                    set.NoteStubs(image, target);
                }
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>A here-document script (0755) bound read-only at <paramref name="target"/>, outside the step's layer.</summary>
    public void AddScript(ImageStore store, string name, string text, string target)
    {
        ArgumentNullException.ThrowIfNull(store);
        var path = Path.Combine(Scratch(store, "script"), name.Replace('/', '_'));
        File.WriteAllText(path, text);
        Own(path, 0x1ED /* 0755 */, 0, 0);
        Mounts.Add(Bind(path, target, readOnly: true));
    }

    /// <summary>Deletes from the step's upper directory the empty mount points the mounts created (deepest first).</summary>
    public void RemoveStubs(string upper)
    {
        foreach (var stub in _stubs.OrderByDescending(s => s.Length))
        {
            var path = Path.Combine(upper, stub);
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is null && info.Length == 0)
            {
                info.Delete();
            }
            else if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null && !Directory.EnumerateFileSystemEntries(path).Any())
            {
                Directory.Delete(path);
            }
        }
    }

    public void Dispose()
    {
        foreach (var held in _locks)
        {
            held.Dispose();
        }

        foreach (var path in _temporary)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The target and each parent the image lacks: the runtime makes them, the layer must not keep them.</summary>
    private void NoteStubs(ISourceTree image, string target)
    {
        var relative = target.TrimStart('/');
        while (relative.Length > 0 && image.Stat(relative) is null)
        {
            _stubs.Add(relative);
            var slash = relative.LastIndexOf('/');
            relative = slash < 0 ? "" : relative[..slash];
        }
    }

    /// <param name="fromLayers">With <c>from=</c>: the layers (top first) of the tree a new cache starts as (its <c>source</c> subpath).
    /// BuildKit keys such a cache by its id and its base, so it is another directory than the id alone's, and another when the base changes
    /// (the layer directories are named by their chain IDs).</param>
    private SpecMount Cache(RunMount mount, ImageStore store, string target, IReadOnlyList<string>? fromLayers)
    {
        var from = fromLayers is null ? null : new LayerTree(fromLayers);
        var seed = from is null ? null : IgnorePattern.CleanPath(mount.Source ?? ".");
        if (seed is ".." || seed?.StartsWith("../", StringComparison.Ordinal) == true)
        {
            throw new BuildException($"invalid mount source \"{mount.Source}\": outside {mount.From}");
        }

        seed = seed == "." ? "" : seed;
        var seedEntry = seed is null ? null : from!.Stat(seed);
        if (seed is not null && seedEntry?.Kind != EntryKind.Directory)
        {
            throw new BuildException($"failed to compute cache key: \"/{seed}\" not found or not a directory in {mount.From}");
        }

        var directory = CacheDirectory(store, seed is null ? mount.Id! : $"{mount.Id}\0from={string.Join(':', fromLayers!)}\0source={seed}");
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        switch (mount.Sharing)
        {
            case "locked":
                // Another build's step with the same cache waits until this one ends (BuildKit sharing=locked).
                _locks.Add(FileLock.Exclusive(directory + ".lock"));
                break;
            case "private":
                // A busy cache is not shared: the step gets an empty directory of its own (BuildKit sharing=private).
                if (FileLock.TryExclusive(directory + ".lock") is { } free)
                {
                    _locks.Add(free);
                }
                else
                {
                    directory = Scratch(store, "cache");
                }

                break;
        }

        if (!Directory.Exists(directory))
        {
            // Made in the store's tmp/ under this process's name (a build killed before the rename
            // leaves it to the store's sweeper, not as a stray in build-cache-mounts/), then renamed in.
            var fresh = store.NewTempFile("cache-new");
            Directory.CreateDirectory(fresh);
            if (seedEntry is not null)
            {
                TreeSeeder.Copy(from!, seed!, fresh);
            }

            Own(fresh, mount.Mode ?? seedEntry?.Mode ?? 0x1ED /* 0755 */, mount.Uid ?? seedEntry?.Uid ?? 0, mount.Gid ?? seedEntry?.Gid ?? 0);
            try
            {
                Directory.Move(fresh, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                Directory.Delete(fresh); // Another build made it first.
            }
        }

        return Bind(directory, target, mount.ReadOnly);
    }

    private SpecMount? Secret(RunMount mount, ImageStore store, IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> secretValues, string target)
    {
        var source = secrets.TryGetValue(mount.Id!, out var file) ? file : null;
        var value = source is null && secretValues.TryGetValue(mount.Id!, out var text) ? text : null;
        if (source is null && value is null)
        {
            return mount.Required ? throw new BuildException($"secret {mount.Id}: not found") : null;
        }

        // A copy with the mount's owner and mode (default root 0400, BuildKit's), in a 0700 directory,
        // deleted when the step ends: the step never sees the host file itself.
        var directory = Scratch(store, "secret");
        var copy = Path.Combine(directory, "secret");
        if (source is not null)
        {
            File.Copy(source, copy);
        }
        else
        {
            File.WriteAllText(copy, value);
        }

        Own(copy, mount.Mode ?? 0x100 /* 0400 */, mount.Uid ?? 0, mount.Gid ?? 0);
        return Bind(copy, target, readOnly: true);
    }

    private SpecMount Bind(RunMount mount, ImageStore store, IReadOnlyList<string> roots, string target)
    {
        var source = IgnorePattern.CleanPath(mount.Source ?? ".");
        if (source == ".." || source.StartsWith("../", StringComparison.Ordinal))
        {
            throw new BuildException($"invalid mount source \"{mount.Source}\": outside the {(mount.From is null ? "build context" : mount.From)}");
        }

        var lowers = new List<string>();
        foreach (var root in roots)
        {
            var path = Confined(root, source == "." ? "" : source);
            if (path is not null)
            {
                lowers.Add(path);
            }
        }

        if (lowers.Count == 0)
        {
            throw new BuildException($"failed to compute cache key: \"/{(source == "." ? "" : source)}\" not found in {(mount.From is null ? "the build context" : mount.From)}");
        }

        if (File.Exists(lowers[0]))
        {
            if (mount.ReadOnly)
            {
                return Bind(lowers[0], target, readOnly: true);
            }

            // rw: the step may write, the writes go to a copy that is thrown away.
            var copy = Path.Combine(Scratch(store, "bind"), "file");
            File.Copy(lowers[0], copy);
            return Bind(copy, target, readOnly: false);
        }

        lowers = [.. lowers.Where(Directory.Exists)];
        if (mount.ReadOnly && lowers.Count == 1)
        {
            return Bind(lowers[0], target, readOnly: true);
        }

        // An overlay of the directory in every layer: read-only without an upper (overlayfs needs two
        // lowers then), or writable into a scratch upper that is deleted after the step.
        if (mount.ReadOnly)
        {
            return new SpecMount { Destination = target, Type = "overlay", Source = "overlay", Options = ["ro", $"lowerdir={string.Join(':', lowers)}"] };
        }

        var scratch = Scratch(store, "bind");
        Directory.CreateDirectory(Path.Combine(scratch, "upper"));
        Directory.CreateDirectory(Path.Combine(scratch, "work"));
        return new SpecMount
        {
            Destination = target, Type = "overlay", Source = "overlay",
            // volatile: a scratch upper is never read again, so its unmount need not sync the host's disk (SpecFactory.RootMount).
            Options = [$"lowerdir={string.Join(':', lowers)}", $"upperdir={scratch}/upper", $"workdir={scratch}/work", "volatile"],
        };
    }

    /// <summary>
    /// The host path of <paramref name="relative"/> under <paramref name="root"/>, or null when it is
    /// not there; a symbolic link on the way is refused, so a mount never leaves its tree.
    /// </summary>
    private static string? Confined(string root, string relative)
    {
        var path = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            FileSystemInfo info = new FileInfo(path);
            if (!info.Exists)
            {
                info = new DirectoryInfo(path);
            }

            if (!info.Exists && info.LinkTarget is null)
            {
                return null;
            }

            if (info.LinkTarget is not null)
            {
                throw new BuildException($"mount source \"{relative}\" goes through the symbolic link \"{part}\": anchor build does not follow links in mount sources");
            }
        }

        return path;
    }

    /// <summary>A private directory in the store's tmp, named after this process (reclaimed by the store's sweeper if the build is killed).</summary>
    private string Scratch(ImageStore store, string kind)
    {
        var directory = store.NewTempFile("run-" + kind);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _temporary.Add(directory);
        return directory;
    }

    private static void Own(string path, uint mode, uint uid, uint gid)
    {
        if (LibC.lchown(path, uid, gid) != 0)
        {
            throw new BuildException($"chown {path}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
    }

    private static SpecMount Bind(string source, string target, bool readOnly) => new()
    {
        Destination = target,
        Type = "bind",
        Source = source,
        Options = readOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"],
    };
}
