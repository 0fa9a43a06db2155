using Anchor.Engine.Filters;
using Anchor.Images;
using Anchor.Oci.Reference;

namespace Anchor.Engine.Images;

/// <summary>
/// images --filter (docker image ls reference, "Filtering"): reference (Go path.Match of
/// REPOSITORY[:TAG] or REPOSITORY; only matching tags are listed), dangling (untagged or tagged),
/// label, before and since (created before/after an image named by reference or ID).
/// </summary>
public sealed class ImageFilter
{
    public static IReadOnlyList<string> Keys { get; } = ["reference", "dangling", "label", "before", "since"];

    private readonly FilterArgs _args;
    private readonly Dictionary<string, DateTimeOffset> _createdOf = new(StringComparer.Ordinal);

    private ImageFilter(FilterArgs args, Func<string, StoredImage?> find)
    {
        _args = args;
        foreach (var value in args.Values("before").Concat(args.Values("since")))
        {
            _createdOf[value] = (find(value) ?? throw EngineException.Daemon(EngineErrorKind.NotFound, $"No such image: {value}", 1)).Created ?? DateTimeOffset.MinValue;
        }

        foreach (var value in args.Values("dangling"))
        {
            _ = FilterArgs.Bool("dangling", value);
        }
    }

    public bool HasReference => _args.Has("reference");

    public static ImageFilter Parse(IEnumerable<string> filters, Func<string, StoredImage?> find)
    {
        ArgumentNullException.ThrowIfNull(find);
        return new ImageFilter(FilterArgs.Parse(filters, [.. Keys]), find);
    }

    /// <summary>Every key but reference, which selects the image's rows (<see cref="MatchesReference"/>).</summary>
    public bool Matches(StoredImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _args.All((key, value) => key switch
        {
            "reference" => true,
            "dangling" => FilterArgs.Bool(key, value) == image.IsDangling,
            "label" => FilterArgs.LabelMatches(image.Config.Config?.Labels, value),
            "before" => (image.Created ?? DateTimeOffset.MinValue) < _createdOf[value],
            "since" => (image.Created ?? DateTimeOffset.MinValue) > _createdOf[value],
            _ => false,
        });
    }

    /// <summary>A row's reference against reference= (moby reference.FamiliarMatch): "busybox:latest", then "busybox".</summary>
    public bool MatchesReference(ImageReference? reference) =>
        !_args.Has("reference")
        || (reference is not null && _args.Values("reference").Any(pattern =>
            GoPathMatch.IsMatch(pattern, reference.Tag is { } tag ? $"{reference.FamiliarRepository}:{tag}" : reference.FamiliarRepository)
            || GoPathMatch.IsMatch(pattern, reference.FamiliarRepository)));
}
