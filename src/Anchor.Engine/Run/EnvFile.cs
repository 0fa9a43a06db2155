namespace Anchor.Engine.Run;

/// <summary>
/// --env-file as docker reads it: one VAR=value per line, # comments and blank lines skipped,
/// a bare VAR takes its value from anchor's own environment (or is dropped when unset).
/// </summary>
public static class EnvFile
{
    public static IReadOnlyList<string> Parse(IEnumerable<string> lines)
    {
        var result = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var entry = ExpandBare(line);
            if (entry is not null)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>-e VAR without a value means "copy VAR from my environment", as in docker.</summary>
    public static string? ExpandBare(string entry)
    {
        if (entry.Contains('=', StringComparison.Ordinal))
        {
            return entry;
        }

        var value = Environment.GetEnvironmentVariable(entry.TrimEnd());
        return value is null ? null : $"{entry.TrimEnd()}={value}";
    }
}
