namespace Anchor.Runtime.Security;

public static partial class Capabilities
{
    private const string AllKeyword = "ALL";

    /// <summary>
    /// The set a container gets from docker's default set and --cap-add/--cap-drop, with docker's rules
    /// (moby oci/caps/utils.go TweakCapabilities): add ALL = every capability minus the drops; else
    /// drop ALL = only the adds; else default minus drops, plus adds. Names may omit CAP_ and use any case.
    /// </summary>
    public static IReadOnlyList<string> Resolve(IEnumerable<string> add, IEnumerable<string> drop) =>
        Resolve(Default, add, drop);

    /// <summary>As <see cref="Resolve(IEnumerable{string}, IEnumerable{string})"/> from another base set.</summary>
    public static IReadOnlyList<string> Resolve(IEnumerable<string> basics, IEnumerable<string> add, IEnumerable<string> drop)
    {
        ArgumentNullException.ThrowIfNull(basics);
        var adds = NormalizeList(add);
        var drops = NormalizeList(drop);
        if (adds.Count == 0 && drops.Count == 0)
        {
            return [.. basics.Select(Normalize)];
        }

        IEnumerable<string> result;
        if (adds.Contains(AllKeyword))
        {
            result = All.Where(c => !drops.Contains(c));
        }
        else if (drops.Contains(AllKeyword))
        {
            result = adds;
        }
        else
        {
            result = basics.Select(Normalize).Where(c => !drops.Contains(c)).Concat(adds);
        }

        return [.. result.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Normalizes, keeps "ALL" as a keyword, rejects unknown names, removes duplicates (order kept).</summary>
    private static List<string> NormalizeList(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = new List<string>();
        foreach (var name in names)
        {
            var normalized = string.Equals(name.Trim(), AllKeyword, StringComparison.OrdinalIgnoreCase) ? AllKeyword : Normalize(name);
            if (normalized != AllKeyword && !NumberByName.ContainsKey(normalized))
            {
                throw Unknown(name);
            }

            if (!list.Contains(normalized))
            {
                list.Add(normalized);
            }
        }

        return list;
    }
}
