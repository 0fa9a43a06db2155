namespace Anchor.Build.Context;

/// <summary>
/// .dockerignore (moby/patternmatcher): lines are patterns, <c>#</c> starts a comment, the last
/// pattern that matches a path or one of its parent directories decides, and <c>!pattern</c>
/// brings a path back.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<IgnorePattern> _patterns;

    public DockerIgnore(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _patterns = [.. lines
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => new IgnorePattern(l))
            .Where(p => p.Text != ".")];
    }

    public static DockerIgnore Load(string contextDirectory)
    {
        var file = Path.Combine(contextDirectory, ".dockerignore");
        return new DockerIgnore(File.Exists(file) ? File.ReadAllLines(file) : []);
    }

    public bool IsEmpty => _patterns.Count == 0;

    public bool HasExclusions => _patterns.Any(p => p.Exclusion);

    /// <summary>True when the relative slash path is left out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = IgnorePattern.CleanPath(relativePath);
        var excluded = false;
        foreach (var pattern in _patterns)
        {
            if (pattern.Exclusion == excluded && MatchesOrParentMatches(pattern, path))
            {
                excluded = !pattern.Exclusion;
            }
        }

        return excluded;
    }

    private static bool MatchesOrParentMatches(IgnorePattern pattern, string path)
    {
        if (pattern.Matches(path))
        {
            return true;
        }

        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            if (pattern.Matches(path[..slash]))
            {
                return true;
            }
        }

        return false;
    }
}
