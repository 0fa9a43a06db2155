using System.Globalization;
using Anchor.Build.Dockerfile;

namespace Anchor.Build.Mounts;

/// <summary>
/// Reads a <c>--mount</c> value of RUN: comma-separated key=value fields, each value expanded
/// like a word of the Dockerfile, with BuildKit's keys, defaults and error wording
/// (frontend/dockerfile/instructions/commands_runmount.go parseMount): bind mounts are
/// read-only unless rw, cache and tmpfs writable; a secret's id defaults to its target's name
/// and its target to /run/secrets/ID; a cache's id defaults to its target.
/// </summary>
public static class RunMountParser
{
    private static readonly HashSet<string> Types = [RunMount.Bind, RunMount.Cache, RunMount.Tmpfs, RunMount.Secret];

    public static RunMount Parse(string value, ShellLex lex)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(lex);
        var mount = new RunMount { Type = RunMount.Bind };
        bool? readOnly = null;
        foreach (var field in value.Split(','))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            if (eq < 0)
            {
                switch (key)
                {
                    case "readonly" or "ro":
                        readOnly = true;
                        continue;
                    case "readwrite" or "rw":
                        readOnly = false;
                        continue;
                    case "required" when mount.Type == RunMount.Secret:
                        mount = mount with { Required = true };
                        continue;
                    case "required":
                        throw new BuildException($"unexpected key '{key}' for mount type '{mount.Type}'");
                    default:
                        throw new BuildException($"invalid field '{field}' must be a key=value pair");
                }
            }

            var text = lex.ProcessWord(field[(eq + 1)..]);
            switch (key)
            {
                case "type":
                    var type = text.ToLowerInvariant();
                    mount = Types.Contains(type) ? mount with { Type = type } : throw new BuildException($"unsupported mount type \"{text}\" (anchor build knows bind, cache, tmpfs and secret)");
                    break;
                case "from":
                    mount = mount with { From = text };
                    break;
                case "source" or "src":
                    mount = mount with { Source = text };
                    break;
                case "target" or "dst" or "destination":
                    mount = mount with { Target = text };
                    break;
                case "readonly" or "ro":
                    readOnly = Bool(key, text);
                    break;
                case "readwrite" or "rw":
                    readOnly = !Bool(key, text);
                    break;
                case "required" when mount.Type == RunMount.Secret:
                    mount = mount with { Required = Bool(key, text) };
                    break;
                case "size" when mount.Type == RunMount.Tmpfs:
                    mount = mount with { Size = Bytes(text) ?? throw new BuildException($"invalid value for {key}: {text}") };
                    break;
                case "required" or "size":
                    throw new BuildException($"unexpected key '{key}' for mount type '{mount.Type}'");
                case "id":
                    mount = mount with { Id = text };
                    break;
                case "sharing":
                    var sharing = text.ToLowerInvariant();
                    mount = sharing is "shared" or "private" or "locked" ? mount with { Sharing = sharing } : throw new BuildException($"unsupported sharing value \"{text}\"");
                    break;
                case "mode":
                    mount = mount with { Mode = Number(text, 8) ?? throw new BuildException($"invalid value {text} for mode") };
                    break;
                case "uid":
                    mount = mount with { Uid = Number(text, 10) ?? throw new BuildException($"invalid value {text} for uid") };
                    break;
                case "gid":
                    mount = mount with { Gid = Number(text, 10) ?? throw new BuildException($"invalid value {text} for gid") };
                    break;
                default:
                    throw new BuildException($"unexpected key '{key}' in '{field}'");
            }
        }

        return Check(mount with { ReadOnly = readOnly ?? mount.Type is RunMount.Bind or RunMount.Secret });
    }

    private static RunMount Check(RunMount m)
    {
        if (m.Type is not (RunMount.Secret or RunMount.Cache) && (m.Mode ?? m.Uid ?? m.Gid) is not null)
        {
            throw new BuildException($"{(m.Mode is not null ? "mode" : m.Uid is not null ? "uid" : "gid")} not allowed for \"{m.Type}\" type mounts");
        }

        if (m.Sharing is not null && m.Type != RunMount.Cache)
        {
            throw new BuildException($"invalid cache sharing set for {m.Type} mount");
        }

        if (m.Type == RunMount.Secret)
        {
            if (m.From is not null)
            {
                throw new BuildException("secret mount should not have a from");
            }

            if (m.Source is not null && m.Id is not null)
            {
                throw new BuildException("both source and id can't be set");
            }

            var id = m.Id ?? m.Source ?? (m.Target.Length > 0 ? m.Target[(m.Target.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/') : null)
                ?? throw new BuildException("invalid secret mount. one of source, target required");
            return m with { Id = id, Source = null, Target = m.Target.Length > 0 ? m.Target : "/run/secrets/" + id };
        }

        if (m.Target.Length == 0)
        {
            throw new BuildException("mount destination not set");
        }

        return m.Type == RunMount.Cache && m.Id is null ? m with { Id = m.Target } : m;
    }

    private static bool Bool(string key, string text) =>
        text.ToLowerInvariant() switch
        {
            "1" or "t" or "true" => true,
            "0" or "f" or "false" => false,
            _ => throw new BuildException($"invalid value for {key}: {text}"),
        };

    private static uint? Number(string text, int radix)
    {
        try
        {
            return text.Length > 0 && text.All(char.IsAsciiDigit) ? Convert.ToUInt32(text, radix) : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A size as docker's units.RAMInBytes reads it: a number with an optional b/k/m/g/t(b) suffix, binary multiples.</summary>
    private static long? Bytes(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var digits = t.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        if (digits == 0 || !double.TryParse(t[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var shift = t[digits..].TrimEnd('b').TrimEnd('i') switch
        {
            "" => 0,
            "k" => 10,
            "m" => 20,
            "g" => 30,
            "t" => 40,
            _ => -1,
        };
        return shift < 0 ? null : (long)(n * (1L << shift));
    }
}
