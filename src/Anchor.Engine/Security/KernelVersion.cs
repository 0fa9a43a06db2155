using System.Globalization;

namespace Anchor.Engine.Security;

/// <summary>
/// A kernel's "version.major" (moby/profiles seccomp.KernelVersion): minor revisions and distribution
/// suffixes are ignored, so 3.12.25-gentoo and 3.12-1-amd64 are both 3.12.
/// </summary>
public readonly record struct KernelVersion(uint Kernel, uint Major) : IComparable<KernelVersion>
{
    private static KernelVersion? host;

    /// <summary>The running kernel's, from uname(2)'s release (parsed once).</summary>
    public static KernelVersion Host => host ??= FromRelease(Linux.Sys.KernelRelease());

    public int CompareTo(KernelVersion other) =>
        Kernel != other.Kernel ? Kernel.CompareTo(other.Kernel) : Major.CompareTo(other.Major);

    public static bool operator <(KernelVersion left, KernelVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(KernelVersion left, KernelVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(KernelVersion left, KernelVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(KernelVersion left, KernelVersion right) => left.CompareTo(right) >= 0;

    /// <summary>The leading "N.M" of a release string, as moby's Sscanf("%d.%d") reads it.</summary>
    public static KernelVersion FromRelease(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var kernel = LeadingNumber(release, 0, out var next);
        if (kernel is null || next >= release.Length || release[next] != '.' || LeadingNumber(release, next + 1, out _) is not { } major)
        {
            throw new FormatException($"failed to parse kernel version \"{release}\"");
        }

        return new KernelVersion(kernel.Value, major);
    }

    /// <summary>
    /// A profile's minKernel ("4.8"), with moby's rules: exactly two dot-separated numbers of at
    /// most 255 each, not 0.0; "" is 0.0, which every kernel satisfies.
    /// </summary>
    public static KernelVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return default;
        }

        var parts = text.Split('.', 3);
        var quoted = $"\"{text}\"";
        if (parts.Length != 2)
        {
            throw new FormatException($"invalid kernel version: {quoted}, expected \"<kernel>.<major>\"");
        }

        if (!byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kernel)
            || !byte.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            throw new FormatException($"invalid kernel version: {quoted}, expected \"<kernel>.<major>\": invalid syntax");
        }

        return kernel == 0 && major == 0
            ? throw new FormatException($"invalid kernel version: {quoted}, expected \"<kernel>.<major>\": version cannot be 0.0")
            : new KernelVersion(kernel, major);
    }

    public override string ToString() =>
        Kernel > 0 || Major > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Kernel}.{Major}") : "";

    private static uint? LeadingNumber(string text, int start, out int next)
    {
        next = start;
        while (next < text.Length && char.IsAsciiDigit(text[next]))
        {
            next++;
        }

        return next > start && uint.TryParse(text.AsSpan(start, next - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
