using Anchor.Runtime.Security;

namespace Anchor.Engine.Run;

/// <summary>
/// --cap-add/--cap-drop applied to docker's default set, by moby's rules (oci/caps TweakCapabilities):
/// "ALL" in --cap-add starts from every capability, "ALL" in --cap-drop from none; otherwise the
/// defaults minus the drops plus the adds. Names take any case, with or without CAP_.
/// </summary>
public static class CapabilitySet
{
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> add, IReadOnlyList<string> drop)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(drop);
        var adds = Normalize(add, "CapAdd");
        var drops = Normalize(drop, "CapDrop");
        var addAll = adds.Contains("ALL");
        var dropAll = drops.Contains("ALL");
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (addAll)
        {
            result.UnionWith(Capabilities.All);
            result.ExceptWith(drops);
        }
        else
        {
            if (!dropAll)
            {
                result.UnionWith(Capabilities.Default);
                result.ExceptWith(drops);
            }

            result.UnionWith(adds);
        }

        result.Remove("ALL");
        // In capability-number order, as docker lists them.
        return [.. Capabilities.All.Where(result.Contains)];
    }

    private static HashSet<string> Normalize(IReadOnlyList<string> names, string flag)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Trim().Equals("ALL", StringComparison.OrdinalIgnoreCase))
            {
                set.Add("ALL");
                continue;
            }

            var normalized = Capabilities.Normalize(name);
            if (!Capabilities.TryGetNumber(normalized, out _))
            {
                // The daemon checks the names (moby oci/caps NormalizeLegacyCapabilities), not the CLI.
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid {flag}: unknown capability: \"{normalized}\"");
            }

            set.Add(normalized);
        }

        return set;
    }
}
