namespace Anchor.Engine.Run;

/// <summary>
/// Merges environment lists the way docker does: later entries override earlier ones by name, and
/// a bare NAME (a <c>-e NAME</c> that was unset where anchor ran) removes NAME (moby
/// daemon/container ReplaceOrAppendEnvValues).
/// </summary>
public static class EnvironmentList
{
    public static IReadOnlyList<string> Merge(params IEnumerable<string>[] layers)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var entry in layer)
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    if (values.Remove(entry))
                    {
                        order.Remove(entry);
                    }

                    continue;
                }

                var key = entry[..eq];
                if (!values.ContainsKey(key))
                {
                    order.Add(key);
                }

                values[key] = entry;
            }
        }

        return order.Select(k => values[k]).ToList();
    }

    public static bool Has(IEnumerable<string> env, string key) =>
        env.Any(e => e.StartsWith(key + "=", StringComparison.Ordinal));
}
