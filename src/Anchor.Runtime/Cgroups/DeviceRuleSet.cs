using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// The state of a v1 devices cgroup, computed the way security/device_cgroup.c changes it on each write
/// (the runtime spec defines the allowlist by those writes, applied in order):
/// "a" switches the default (devices.allow: allow-all, devices.deny: deny-all) and forgets every exception;
/// any other rule whose action is opposite to the default adds an exception (merging its access into an
/// exception with the same type, major and minor); a rule with the default's own action removes those
/// access bits from the exception with exactly the same type, major and minor, and from no other (so a
/// deny of c 10:229 cannot narrow an allow of c *:* m: the kernel ignores it, and so does this).
/// runc's emulator (opencontainers/cgroups devices_emulator.go) keeps the same state, but refuses that last
/// case instead. The v1 manager writes this state, the v2 manager compiles it (<see cref="DeviceFilterProgram"/>).
/// </summary>
public sealed class DeviceRuleSet
{
    private readonly Dictionary<(char Type, long Major, long Minor), DeviceAccess> _exceptions = [];

    /// <summary>A new set denies everything: the runtime's starting point, as runc's and crun's.</summary>
    public bool DefaultAllow { get; private set; }

    /// <summary>Nothing is refused: no device program is needed.</summary>
    public bool AllowsAll => DefaultAllow && _exceptions.Count == 0;

    /// <summary>
    /// A container's rules: deny everything, apply the spec's rules in order, then the runtime's own
    /// (<see cref="DefaultDeviceRules.Runtime"/>), which runc appends after the spec's in the same way.
    /// </summary>
    public static DeviceRuleSet ForContainer(IReadOnlyList<SpecDeviceCgroup>? rules)
    {
        var set = new DeviceRuleSet();
        foreach (var rule in rules ?? [])
        {
            set.Apply(DeviceRule.FromSpec(rule));
        }

        foreach (var rule in DefaultDeviceRules.Runtime)
        {
            set.Apply(rule);
        }

        return set;
    }

    public void Apply(DeviceRule rule)
    {
        if (rule.Type == 'a')
        {
            _exceptions.Clear();
            DefaultAllow = rule.Allow;
            return;
        }

        var key = (rule.Type, rule.Major, rule.Minor);
        if (rule.Allow != DefaultAllow)
        {
            _exceptions[key] = _exceptions.GetValueOrDefault(key) | rule.Access;
        }
        else if (_exceptions.TryGetValue(key, out var access))
        {
            var left = access & ~rule.Access;
            if (left == DeviceAccess.None)
            {
                _exceptions.Remove(key);
            }
            else
            {
                _exceptions[key] = left;
            }
        }
    }

    /// <summary>
    /// The exceptions, each with the action opposite to the default, sorted by major, minor, type
    /// (wildcards first) so that the writes and the program are the same for the same state.
    /// </summary>
    public IReadOnlyList<DeviceRule> Exceptions =>
        [.. _exceptions
            .Select(e => new DeviceRule(e.Key.Type, e.Key.Major, e.Key.Minor, e.Value, !DefaultAllow))
            .OrderBy(r => r.Major).ThenBy(r => r.Minor).ThenBy(r => r.Type)];

    /// <summary>
    /// Whether an access is permitted, as devcgroup_legacy_check_permission decides it: with a deny-all
    /// default one exception must grant every bit asked for; with an allow-all default no exception may
    /// share any bit with it.
    /// </summary>
    public bool Permits(char type, long major, long minor, DeviceAccess access)
    {
        foreach (var ((t, ma, mi), granted) in _exceptions)
        {
            if (t != type || (ma != DeviceRule.Wildcard && ma != major) || (mi != DeviceRule.Wildcard && mi != minor))
            {
                continue;
            }

            if (DefaultAllow && (granted & access) != DeviceAccess.None)
            {
                return false;
            }

            if (!DefaultAllow && (access & ~granted) == DeviceAccess.None)
            {
                return true;
            }
        }

        return DefaultAllow;
    }
}
