using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Anchor.Build.Context;
using Anchor.Build.Dockerfile;
using Anchor.Build.Layers;
using Anchor.Images.Layers;

namespace Anchor.Build;

/// <summary>
/// COPY and ADD: resolves the sources (globs, confined to the source tree: a path outside the
/// context or missing is an error), decides where each lands (docker's rules: a directory's
/// contents are copied, a file goes into a destination ending in "/" or an existing directory),
/// digests contents and metadata for the cache key, and writes the layer.
/// </summary>
internal static class CopyPlanner
{
    public sealed record Item(TreeEntry Source, string Target, bool Archive);

    /// <summary>What to copy from <paramref name="Source"/>, where it lands, and the digest of it all for the cache key.</summary>
    public sealed record CopyPlan(ISourceTree Source, string Destination, IReadOnlyList<Item> Items, string Digest, string Kind);

    /// <param name="expanded">Sources and destination already expanded (here-documents); null: the instruction's, expanded here.</param>
    /// <param name="exclude"><c>--exclude</c> patterns: a source, or a file inside a copied directory, that one matches (relative to the source tree or to that directory) is left out.</param>
    /// <param name="parents"><c>COPY --parents</c> (BuildKit, Dockerfile 1.7): each source keeps its path under the destination, from the tree's root or from a <c>/./</c> pivot in it.</param>
    public static CopyPlan Plan(Instruction instruction, ShellLex lex, string? workingDir, ISourceTree source, ISourceTree image, bool unpackArchives, bool fromImage, IReadOnlyList<string>? expanded = null, DockerIgnore? exclude = null, bool parents = false)
    {
        var words = expanded?.ToList() ?? instruction.Json?.Select(lex.ProcessWord).ToList() ?? [.. lex.ProcessWords(instruction.Arguments)];
        if (words.Count < 2)
        {
            throw new BuildException($"{instruction.Keyword} requires at least two arguments, but only one was provided. Destination could not be determined.");
        }

        var dest = words[^1];
        var destIsDir = dest.EndsWith('/') || dest == "." || dest.EndsWith("/.", StringComparison.Ordinal);
        var absolute = dest.StartsWith('/') ? dest : (string.IsNullOrEmpty(workingDir) ? "/" : workingDir).TrimEnd('/') + "/" + dest;
        var destRel = IgnorePattern.CleanPath(absolute);
        destRel = destRel == "." ? "" : destRel;
        destIsDir |= destRel.Length == 0 || image.Stat(destRel)?.Kind == EntryKind.Directory;

        var matches = new List<(TreeEntry Entry, string Name, string Kept)>();
        foreach (var src in words[..^1])
        {
            if (instruction.Keyword == "ADD" && (src.StartsWith("http://", StringComparison.Ordinal) || src.StartsWith("https://", StringComparison.Ordinal)))
            {
                throw new BuildException($"ADD failed: remote URLs are not supported by anchor build: {src}");
            }

            var rel = IgnorePattern.CleanPath(src);
            if (rel == ".." || rel.StartsWith("../", StringComparison.Ordinal))
            {
                throw new BuildException($"{instruction.Keyword} failed: forbidden path outside the build context: {src} ()");
            }

            rel = rel == "." ? "" : rel;
            var pivot = Pivot(src);
            if (IgnorePattern.HasGlob(rel))
            {
                var glob = IgnorePattern.Glob(rel);
                // docker's copyWithWildcards: the walk does not enter symlinks, and each match is
                // then resolved like a source named alone (a link leading nowhere is not found).
                foreach (var match in Walk(source, "").Where(e => glob.IsMatch(e.RelativePath) && exclude?.IsExcluded(e.RelativePath) != true))
                {
                    matches.Add((Resolve(source, match) ?? throw NotFound(instruction, match.RelativePath, fromImage), match.Name, Kept(match.RelativePath, pivot)));
                }

                continue;
            }

            var entry = source.Stat(rel);
            if (entry is not null && rel.Length > 0 && exclude?.IsExcluded(rel) == true)
            {
                continue;
            }

            var resolved = entry is null ? null : Resolve(source, entry);
            matches.Add((resolved ?? throw NotFound(instruction, src, fromImage), entry!.Name, Kept(rel, pivot)));
        }

        if (matches.Count == 0)
        {
            throw new BuildException($"{instruction.Keyword} failed: no source files were specified");
        }

        if (words.Count > 2 || matches.Count > 1)
        {
            if (!dest.EndsWith('/'))
            {
                throw new BuildException($"When using {instruction.Keyword} with more than one source file, the destination must be a directory and end with a /");
            }
        }

        var items = new List<Item>();
        foreach (var (entry, name, kept) in matches)
        {
            if (entry.Kind == EntryKind.Directory)
            {
                var root = parents ? Join(destRel, kept) : destRel;
                items.Add(new Item(entry, root, false));
                foreach (var child in Walk(source, entry.RelativePath))
                {
                    var relative = entry.RelativePath.Length == 0 ? child.RelativePath : child.RelativePath[(entry.RelativePath.Length + 1)..];
                    if (exclude is not null && (exclude.IsExcluded(relative) || exclude.IsExcluded(child.RelativePath)))
                    {
                        continue;
                    }

                    items.Add(new Item(child, Join(root, relative), false));
                }
            }
            else if (unpackArchives && entry.Kind == EntryKind.File && IsTarArchive(source, entry))
            {
                items.Add(new Item(entry, destRel, true));
            }
            else
            {
                items.Add(new Item(entry, parents ? Join(destRel, kept) : destIsDir ? Join(destRel, name) : destRel, false));
            }
        }

        var kind = matches.Count > 1 ? "multi" : matches[0].Entry.Kind == EntryKind.Directory ? "dir" : "file";
        return new CopyPlan(source, "/" + destRel, items, Digest(source, items), kind);
    }

    public static void Write(CopyPlan plan, LayerTarWriter writer, ISourceTree image, (uint Uid, uint Gid)? owner, uint? mode)
    {
        var uid = owner?.Uid ?? 0;
        var gid = owner?.Gid ?? 0;
        foreach (var item in plan.Items)
        {
            if (item.Archive)
            {
                EnsureParents(writer, image, item.Target + "/x", uid, gid);
                if (item.Target.Length > 0)
                {
                    EnsureDirectory(writer, image, item.Target, uid, gid);
                }

                using (var archive = plan.Source.OpenRead(item.Source))
                {
                    Extract(archive, item.Target, writer, image);
                }

                continue;
            }

            EnsureParents(writer, image, item.Target, uid, gid);
            if (item.Source.Kind == EntryKind.Directory)
            {
                if (item.Target.Length > 0 && image.Stat(item.Target) is { Kind: EntryKind.Directory } existing)
                {
                    // An existing directory keeps its owner and mode, as docker leaves it.
                    writer.AddDirectory(item.Target, existing.Mode, existing.Uid, existing.Gid, existing.ModifiedTime);
                }
                else if (item.Target.Length > 0)
                {
                    writer.AddDirectory(item.Target, mode ?? item.Source.Mode, uid, gid, item.Source.ModifiedTime);
                }

                continue;
            }

            if (item.Source.Kind == EntryKind.File)
            {
                // Read through the tree: the context opens it confined to its root, never by host path.
                using var data = plan.Source.OpenRead(item.Source);
                writer.AddFile(item.Target, data, mode ?? item.Source.Mode, uid, gid, item.Source.ModifiedTime,
                    data is FileStream file ? FileStat.Capability(file.SafeFileHandle) : null);
            }
            else
            {
                writer.AddEntry(item.Target, item.Source, mode ?? item.Source.Mode, uid, gid);
            }
        }
    }

    /// <summary>
    /// With <c>--parents</c>, the cleaned path before a <c>/./</c> in a source (BuildKit's pivot):
    /// that part is not kept under the destination; "" when there is none.
    /// </summary>
    private static string Pivot(string source)
    {
        var at = source.IndexOf("/./", StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }

        var before = IgnorePattern.CleanPath(source[..at]);
        return before == "." ? "" : before;
    }

    /// <summary>The part of a matched source's path that <c>--parents</c> keeps: below the pivot.</summary>
    private static string Kept(string relativePath, string pivot) =>
        pivot.Length == 0 ? relativePath
        : relativePath == pivot ? ""
        : relativePath.StartsWith(pivot + "/", StringComparison.Ordinal) ? relativePath[(pivot.Length + 1)..] : relativePath;

    /// <summary>docker's message for a source that is not there (the context's names .dockerignore too).</summary>
    private static BuildException NotFound(Instruction instruction, string path, bool fromImage) =>
        new(fromImage
            ? $"{instruction.Keyword} failed: stat {path}: file does not exist"
            : $"{instruction.Keyword} failed: file not found in build context or excluded by .dockerignore: stat {path}: file does not exist");

    /// <summary>Every entry below a directory of the tree, parents before children.</summary>
    private static IEnumerable<TreeEntry> Walk(ISourceTree tree, string directory)
    {
        foreach (var child in tree.Children(directory))
        {
            yield return child;
            if (child.Kind == EntryKind.Directory)
            {
                foreach (var grandchild in Walk(tree, child.RelativePath))
                {
                    yield return grandchild;
                }
            }
        }
    }

    /// <summary>A source that is a symlink is followed, inside the tree (docker's FollowSymlinkInScope).</summary>
    private static TreeEntry? Resolve(ISourceTree tree, TreeEntry entry)
    {
        for (var depth = 0; entry.Kind == EntryKind.Symlink && depth < 40; depth++)
        {
            var target = entry.LinkTarget ?? "";
            var parent = entry.RelativePath.Contains('/', StringComparison.Ordinal) ? entry.RelativePath[..entry.RelativePath.LastIndexOf('/')] : "";
            var joined = target.StartsWith('/') ? target : parent + "/" + target;
            var clean = IgnorePattern.CleanPath("/" + joined);
            var next = tree.Stat(clean == "." ? "" : clean);
            if (next is null)
            {
                return null;
            }

            entry = next;
        }

        return entry;
    }

    private static void EnsureParents(LayerTarWriter writer, ISourceTree image, string target, uint uid, uint gid)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        while (slash > 0)
        {
            EnsureDirectory(writer, image, target[..slash], uid, gid);
            slash = target.IndexOf('/', slash + 1);
        }
    }

    private static void EnsureDirectory(LayerTarWriter writer, ISourceTree image, string path, uint uid, uint gid)
    {
        if (writer.HasDirectory(path))
        {
            return;
        }

        if (image.Stat(path) is { Kind: EntryKind.Directory } existing)
        {
            writer.AddDirectory(path, existing.Mode, existing.Uid, existing.Gid, existing.ModifiedTime);
        }
        else
        {
            writer.AddDirectory(path, 0x1ED /* 0755 */, uid, gid, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>ADD of a local tar archive (plain, gzip or zstd): its entries land under the destination.</summary>
    private static void Extract(Stream archive, string destination, LayerTarWriter writer, ISourceTree image)
    {
        using var stream = Decompressor.Open(archive, out _);
        // GNU sparse files come whole under their real name, as Go's archive/tar gives them to docker.
        using var reader = new SparseTarReader(stream);
        while (reader.Next() is (var entry, var entryName, var data))
        {
            var name = IgnorePattern.CleanPath("/" + entryName);
            if (name == ".")
            {
                continue;
            }

            // The archive's owners, whatever --chown says: docker untars an ADDed archive as it is
            // (moby builder/dockerfile/copy.go: UntarPath, before any chown); directories the archive
            // leaves out are root's, as the untar makes them.
            var target = Join(destination, name);
            var uid = (uint)entry.Uid;
            var gid = (uint)entry.Gid;
            EnsureParents(writer, image, target, 0, 0);
            var mode = (uint)entry.Mode;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    writer.AddDirectory(target, mode, uid, gid, entry.ModificationTime);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    writer.AddFile(target, data ?? Stream.Null, mode, uid, gid, entry.ModificationTime);
                    break;
                case TarEntryType.SymbolicLink:
                    writer.AddSymlink(target, entry.LinkName, uid, gid, entry.ModificationTime);
                    break;
                default:
                    break; // Hard links, devices and fifos in an ADDed archive are skipped.
            }
        }
    }

    private static bool IsTarArchive(ISourceTree tree, TreeEntry entry)
    {
        try
        {
            using var raw = tree.OpenRead(entry);
            using var stream = Decompressor.Open(raw, out _);
            var header = new byte[512];
            var n = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return n == 512 && TarMagic.IsUstar(header);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Where each file lands and what it is (type, mode, size, link, content): docker's tarsum without times or owners.</summary>
    private static string Digest(ISourceTree tree, IReadOnlyList<Item> items)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in items)
        {
            var s = item.Source;
            hash.AppendData(Encoding.UTF8.GetBytes($"{item.Target}\0{s.Kind}\0{s.Mode}\0{s.Size}\0{s.LinkTarget}\0{item.Archive}\0"));
            if (s.Kind == EntryKind.File)
            {
                using var content = tree.OpenRead(s);
                hash.AppendData(SHA256.HashData(content));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "/" + b;
}
