namespace Anchor.Engine.Copy;

/// <summary>
/// The path arithmetic of docker cp (moby pkg/archive copy.go and Go's path/filepath), kept exact
/// because the copy rules hang on it: a trailing "/" asserts a directory, a trailing "/." means
/// "the contents of", and the parent/base split decides what a copied entry is named.
/// </summary>
public static class CopyPaths
{
    /// <summary>Go's filepath.Clean: one separator, no "." segments, ".." resolved lexically, "/.." is "/".</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    public static bool HasTrailingSeparator(string path) => path.Length > 0 && path[^1] == '/';

    /// <summary>The last element is "." (pkg/archive specifiesCurrentDir).</summary>
    public static bool SpecifiesCurrentDir(string path) => path == "." || path.EndsWith("/.", StringComparison.Ordinal);

    /// <summary>The path can only name a directory: it ends with "/" or "/." (pkg/archive assertsDirectory).</summary>
    public static bool AssertsDirectory(string path) => HasTrailingSeparator(path) || SpecifiesCurrentDir(path);

    /// <summary>Puts back the trailing "/." or "/" that cleaning removed (pkg/archive PreserveTrailingDotOrSeparator).</summary>
    public static string PreserveTrailingDotOrSeparator(string cleaned, string original)
    {
        if (!SpecifiesCurrentDir(cleaned) && SpecifiesCurrentDir(original))
        {
            if (!HasTrailingSeparator(cleaned))
            {
                cleaned += "/";
            }

            cleaned += ".";
        }

        if (!HasTrailingSeparator(cleaned) && HasTrailingSeparator(original))
        {
            cleaned += "/";
        }

        return cleaned;
    }

    /// <summary>A container path as docker reads it: relative to "/", cleaned, its trailing "/" or "/." kept.</summary>
    public static string InContainer(string path) => PreserveTrailingDotOrSeparator(Clean("/" + path), path);

    /// <summary>A local path made absolute against the working directory, its trailing "/" or "/." kept.</summary>
    public static string Local(string path, string workingDirectory) =>
        PreserveTrailingDotOrSeparator(Clean(path.StartsWith('/') ? path : workingDirectory + "/" + path), path);

    /// <summary>Parent directory and last element, a trailing "." kept as the element (pkg/archive SplitPathDirEntry).</summary>
    public static (string Dir, string Base) Split(string path)
    {
        var cleaned = Clean(path);
        if (SpecifiesCurrentDir(path))
        {
            cleaned += cleaned == "/" ? "." : "/.";
        }

        return (Dir(cleaned), Base(cleaned));
    }

    /// <summary>Go's filepath.Dir.</summary>
    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return Clean(slash < 0 ? "." : path[..(slash + 1)]);
    }

    /// <summary>Go's filepath.Base ("/" for the root, "." for the empty path).</summary>
    public static string Base(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        path = path.TrimEnd('/');
        if (path.Length == 0)
        {
            return "/";
        }

        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    /// <summary>Joins a symlink's target onto the directory holding the link (absolute targets stand alone).</summary>
    public static string ResolveLink(string linkPath, string target) =>
        target.StartsWith('/') ? Clean(target) : Clean(Split(linkPath).Dir + "/" + target);
}
