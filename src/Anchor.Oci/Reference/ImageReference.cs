using System.Text.RegularExpressions;

namespace Anchor.Oci.Reference;

/// <summary>
/// A normalised image reference: <c>domain/path[:tag][@digest]</c>, following docker's
/// distribution/reference grammar and its Docker Hub normalisation (busybox becomes
/// docker.io/library/busybox:latest).
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";

    public required string Domain { get; init; }

    public required string Path { get; init; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary>domain/path, e.g. docker.io/library/busybox.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>The repository the way docker prints it: busybox, team/app, 127.0.0.1:5000/app.</summary>
    public string FamiliarRepository =>
        Domain == DefaultDomain
            ? (Path.StartsWith("library/", StringComparison.Ordinal) && Path.Count(c => c == '/') == 1 ? Path["library/".Length..] : Path)
            : Repository;

    /// <summary>Familiar form with the tag or digest: busybox:latest.</summary>
    public string FamiliarName => FamiliarRepository + Suffix;

    public override string ToString() => Repository + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    public static ImageReference Parse(string value)
    {
        if (!TryParse(value, out var reference, out var error))
        {
            throw new FormatException(error);
        }

        return reference;
    }

    /// <summary>Parses and normalises; a missing tag becomes "latest" unless a digest is given.</summary>
    public static bool TryParse(string value, out ImageReference reference, out string error)
    {
        reference = null!;
        error = $"invalid reference format: \"{value}\"";
        if (string.IsNullOrEmpty(value) || value.Length > 255 + 128)
        {
            return false;
        }

        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Oci.Digest.TryParse(rest[(at + 1)..], out var d))
            {
                return false;
            }

            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > rest.LastIndexOf('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                return false;
            }
        }

        string domain;
        string path;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : rest[..slash];
        if (slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            domain = first;
            path = rest[(slash + 1)..];
            if (!DomainPattern().IsMatch(domain))
            {
                return false;
            }
        }
        else
        {
            domain = DefaultDomain;
            path = rest;
        }

        if (domain == "index.docker.io")
        {
            domain = DefaultDomain;
        }

        if (path.Length == 0 || !PathPattern().IsMatch(path))
        {
            // docker's wording for upper-case names.
            if (path.Any(char.IsUpper))
            {
                error = $"invalid reference format: repository name ({path}) must be lowercase";
            }

            return false;
        }

        if (domain == DefaultDomain && !path.Contains('/', StringComparison.Ordinal))
        {
            path = "library/" + path;
        }

        if (tag is null && digest is null)
        {
            tag = DefaultTag;
        }

        reference = new ImageReference { Domain = domain, Path = path, Tag = tag, Digest = digest };
        error = "";
        return true;
    }

    /// <summary>Same repository with another tag.</summary>
    public ImageReference WithTag(string tag) => this with { Tag = tag, Digest = null };

    // distribution/reference regexp.go: path components are lowercase alphanumerics with
    // separators [._-] (or "__"), joined by "/".
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
