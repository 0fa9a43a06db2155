using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Engine.Events;
using Anchor.Images;
using Anchor.Images.Archives;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Engine.Images;

/// <summary>The image verbs (images, inspect, tag, rmi, import, load) over the image store.</summary>
public sealed class ImageService(ImageStore store, ContainerStore containers)
{
    public IReadOnlyList<ImageRow> List(string? filter) => List(filter, []);

    /// <summary>docker images [REPOSITORY[:TAG]] [--filter …]: one row per matching tag, or one &lt;none&gt; row.</summary>
    public IReadOnlyList<ImageRow> List(string? filter, IReadOnlyList<string> filters)
    {
        var imageFilter = ImageFilter.Parse(filters, name => store.Find(name));
        ImageReference? wanted = null;
        if (filter is not null && !ImageReference.TryParse(filter, out wanted, out var error))
        {
            throw new EngineException(error);
        }

        var explicitTag = filter is not null && filter.LastIndexOf(':') > filter.LastIndexOf('/');
        var rows = new List<ImageRow>();
        foreach (var image in store.List().Where(imageFilter.Matches).OrderByDescending(i => i.Created ?? DateTimeOffset.MinValue))
        {
            if (image.References.Count == 0 && wanted is null && !imageFilter.HasReference)
            {
                rows.Add(new ImageRow("<none>", "<none>", image.Id, image.Created, image.Size, DigestOf(image, null)));
            }

            foreach (var reference in image.References)
            {
                if ((wanted is not null && (reference.Repository != wanted.Repository || explicitTag && reference.Tag != wanted.Tag)) || !imageFilter.MatchesReference(reference))
                {
                    continue;
                }

                rows.Add(new ImageRow(reference.FamiliarRepository, reference.Tag ?? "<none>", image.Id, image.Created, image.Size, DigestOf(image, reference.Repository)));
            }
        }

        return rows;
    }

    public StoredImage Get(string nameOrId) =>
        Find(nameOrId) ?? throw new EngineException($"No such image: {nameOrId}");

    /// <summary>
    /// docker tag: the client checks the target's syntax first ("Error parsing reference: …"),
    /// then the daemon looks the source up ("No such image: busybox:latest"); exit 1 either way.
    /// </summary>
    public void Tag(string source, string target)
    {
        if (!ImageReference.TryParse(target, out var reference, out var error))
        {
            throw new EngineException($"Error parsing reference: \"{target}\" is not a valid repository/tag: {error}", 1);
        }

        var image = Find(source) ?? throw NoSuchImage.Daemon(source);
        store.Tag(image, reference);
    }

    public IEnumerable<string> Remove(string nameOrId, bool force)
    {
        try
        {
            var users = containers.List();
            var imageId = Find(nameOrId)?.Id.ToString();
            var result = store.Remove(nameOrId, force, id => users.FirstOrDefault(c => c.ImageId == id.ToString())?.Id);
            EmitRemoval(imageId, result);
            return result.Lines.ToList();
        }
        catch (ImageNotFoundException)
        {
            throw new EngineException($"No such image: {nameOrId}") { Kind = EngineErrorKind.NotFound };
        }
        catch (ImageException e)
        {
            // The API's status: 404 and 409 as moby's image delete gives them (errdefs).
            throw new EngineException(e.Message)
            {
                Kind = e.Kind switch { ImageErrorKind.NotFound => EngineErrorKind.NotFound, ImageErrorKind.Conflict => EngineErrorKind.Conflict, _ => EngineErrorKind.Internal },
            };
        }
    }

    /// <summary>docker import: prints the new image ID.</summary>
    public string Import(Stream tarball, string? reference, IReadOnlyList<string> changes, string? message)
    {
        var tag = reference is null ? null : ParseReference(reference);
        var config = ConfigChanges.Apply(new ContainerConfig(), changes);
        try
        {
            var id = new RootfsImporter(store).Import(tarball, tag, config, message).Id.ToString();
            Emit(EventLog.Image(id, id, "import"));
            return id;
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message);
        }
    }

    public IReadOnlyList<string> Load(Stream archive)
    {
        try
        {
            var loaded = new DockerArchiveLoader(store).Load(archive);
            Emit([.. loaded.Select(l => EventLog.Image(l.Image.Id.ToString(), l.Image.Id.ToString(), "load"))]);
            return loaded.SelectMany(l => l.Lines).ToList();
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message);
        }
    }

    /// <summary>
    /// docker save: every name resolves to an image; a name with a tag (or a repository, meaning
    /// :latest) is saved with that tag, an ID without tags, as docker does.
    /// </summary>
    public void Save(IReadOnlyList<string> names, Stream output, bool oci)
    {
        ArgumentNullException.ThrowIfNull(names);
        var images = new List<(StoredImage Image, IReadOnlyList<ImageReference> Tags)>();
        foreach (var name in names)
        {
            var image = Find(name) ?? throw SaveNotFound(name);
            var tag = ImageReference.TryParse(name, out var r, out _) && r.Tag is not null && image.References.Contains(r) ? r : null;
            var existing = images.FindIndex(i => i.Image.Id == image.Id);
            if (existing >= 0)
            {
                images[existing] = (image, tag is null ? images[existing].Tags : [.. images[existing].Tags, tag]);
            }
            else
            {
                images.Add((image, tag is null ? [] : [tag]));
            }
        }

        try
        {
            var saver = new ImageSaver(store);
            if (oci)
            {
                saver.SaveOciArchive(images, output);
            }
            else
            {
                saver.SaveDockerArchive(images, output);
            }

            Emit([.. images.Select(i => EventLog.Image(i.Image.Id.ToString(), i.Image.Id.ToString(), "save"))]);
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message, 1);
        }
    }

    /// <summary>docker image inspect's object for one image (the fields Anchor knows).</summary>
    public static void WriteInspect(Utf8JsonWriter writer, StoredImage image)
    {
        writer.WriteStartObject();
        writer.WriteString("Id", image.Id.ToString());
        writer.WriteStartArray("RepoTags");
        foreach (var tag in image.RepoTags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("RepoDigests");
        foreach (var digest in image.RepoDigests)
        {
            writer.WriteStringValue(Familiar(digest));
        }

        writer.WriteEndArray();
        writer.WriteString("Parent", "");
        writer.WriteString("Comment", (image.Config.History is { Count: > 0 } history ? history[^1].Comment : null) ?? "");
        writer.WriteString("Created", image.Created?.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture) ?? "");
        writer.WriteString("Author", image.Config.Author ?? "");
        writer.WritePropertyName("Config");
        JsonSerializer.Serialize(writer, image.Config.Config ?? new ContainerConfig(), OciJsonContext.Default.ContainerConfig);
        writer.WriteString("Architecture", image.Config.Architecture);
        writer.WriteString("Os", image.Config.Os);
        writer.WriteNumber("Size", image.Size);
        writer.WriteStartObject("GraphDriver");
        writer.WriteString("Name", "overlay2");
        writer.WriteEndObject();
        writer.WriteStartObject("RootFS");
        writer.WriteString("Type", image.Config.RootFs.Type);
        writer.WriteStartArray("Layers");
        foreach (var diffId in image.Config.RootFs.DiffIds)
        {
            writer.WriteStringValue(diffId.ToString());
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("Metadata");
        writer.WriteString("LastTagTime", "0001-01-01T00:00:00Z");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// docker image prune: dangling images (with <paramref name="all"/>, every image) that no
    /// container uses. Returns the lines of "Deleted Images:" and the bytes reclaimed.
    /// </summary>
    public (IReadOnlyList<string> Lines, long Reclaimed) Prune(bool all) => Prune(all, null);

    /// <summary>image prune [-a] [--filter until=/label=/label!=].</summary>
    public (IReadOnlyList<string> Lines, long Reclaimed) Prune(bool all, Filters.PruneFilter? filter)
    {
        var users = containers.List();
        var lines = new List<string>();
        long reclaimed = 0;
        foreach (var image in store.List())
        {
            if ((!all && !image.IsDangling) || users.Any(c => c.ImageId == image.Id.ToString())
                || (filter is not null && !filter.Matches(image.Created, image.Config.Config?.Labels)))
            {
                continue;
            }

            try
            {
                var result = store.Remove(image.Id.ToString(), force: true, _ => null);
                EmitRemoval(image.Id.ToString(), result);
                if (result.Deleted.Count > 1) // the image ID and at least one layer of its own
                {
                    reclaimed += image.Size;
                }

                lines.AddRange(result.Untagged.Select(t => $"untagged: {t}"));
                lines.AddRange(result.Deleted.Select(d => $"deleted: {d}"));
            }
            catch (ImageException)
            {
                // Removed concurrently: nothing to prune.
            }
        }

        return (lines, reclaimed);
    }

    private static string DigestOf(StoredImage image, string? repository) =>
        image.RepoDigests.FirstOrDefault(d => repository is null || d.StartsWith(repository + "@", StringComparison.Ordinal)) is { } d
            ? d[(d.IndexOf('@', StringComparison.Ordinal) + 1)..]
            : "<none>";

    private static string Familiar(string repoDigest)
    {
        var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && ImageReference.TryParse(repoDigest[..at], out var r, out _) ? r.FamiliarRepository + repoDigest[at..] : repoDigest;
    }

    /// <summary>docker's tag event, after a successful <see cref="Tag"/>: the image's ID, the new reference as name.</summary>
    public void ReportTag(string source, string target)
    {
        if (Find(source) is { } image && ImageReference.TryParse(target, out var reference, out _))
        {
            Emit(EventLog.Image(image.Id.ToString(), reference.FamiliarName, "tag"));
        }
    }

    private void Emit(params ReadOnlySpan<EngineEvent> events) => EventLog.Emit(store.Root, events);

    /// <summary>moby's image_delete: an untag per removed reference, then delete when the image went; both name the image ID.</summary>
    private void EmitRemoval(string? imageId, RemoveResult result)
    {
        var id = result.Deleted.Count > 0 ? result.Deleted[0].ToString() : imageId;
        if (id is null)
        {
            return;
        }

        var events = result.Untagged.Select(_ => EventLog.Image(id, id, "untag")).ToList();
        if (result.Deleted.Count > 0)
        {
            events.Add(EventLog.Image(id, id, "delete"));
        }

        Emit([.. events]);
    }

    /// <summary>
    /// What the daemon's image export says of a name it cannot find (moby image/tarexport
    /// parseNames): a tag or digest the user wrote is looked up in the reference store
    /// ("reference does not exist"), a bare name or ID is searched for ("No such image: NAME", as given).
    /// </summary>
    private static EngineException SaveNotFound(string name)
    {
        var explicitTagOrDigest = name.Contains('@', StringComparison.Ordinal) || name[(name.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal);
        return EngineException.Daemon(EngineErrorKind.NotFound, explicitTagOrDigest ? "reference does not exist" : $"No such image: {name}", 1);
    }

    private StoredImage? Find(string nameOrId)
    {
        try
        {
            return store.Find(nameOrId);
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message);
        }
    }

    private static ImageReference ParseReference(string value) =>
        ImageReference.TryParse(value, out var reference, out var error) ? reference : throw new EngineException(error);
}
