using Anchor.Oci;

namespace Anchor.Images.Registry;

/// <summary>
/// Picks the manifest of one platform from an index / manifest list (OCI image spec,
/// image-index.md "platform"), the way containerd's platforms.Only matcher does: os and
/// architecture must match; a wanted variant must match; without a wanted variant, an entry
/// without variant (or amd64's v1) is preferred.
/// </summary>
public static class PlatformSelector
{
    public static Platform Default => new() { Os = "linux", Architecture = "amd64" };

    /// <summary>Parses <c>os/arch[/variant]</c> (docker's --platform); arch alone means linux/arch.</summary>
    public static Platform Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.ToLowerInvariant().Split('/');
        if (parts.Any(p => p.Length == 0) || parts.Length > 3)
        {
            throw new ImageException($"\"{value}\": unknown operating system or architecture: invalid argument");
        }

        return parts.Length == 1
            ? new Platform { Os = "linux", Architecture = Normalize(parts[0]) }
            : new Platform { Os = parts[0], Architecture = Normalize(parts[1]), Variant = parts.Length == 3 ? parts[2] : null };
    }

    public static string Format(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return platform.Variant is null ? $"{platform.Os}/{platform.Architecture}" : $"{platform.Os}/{platform.Architecture}/{platform.Variant}";
    }

    /// <summary>The best entry for <paramref name="wanted"/>, or null when none matches.</summary>
    public static Descriptor? Select(IEnumerable<Descriptor> manifests, Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(wanted);
        Descriptor? fallback = null;
        foreach (var m in manifests)
        {
            if (m.Platform is not { } p || p.Os != wanted.Os || Normalize(p.Architecture) != wanted.Architecture)
            {
                continue;
            }

            if (wanted.Variant is not null)
            {
                if (p.Variant == wanted.Variant)
                {
                    return m;
                }

                continue;
            }

            if (p.Variant is null || p.Variant == "v1")
            {
                return m;
            }

            fallback ??= m;
        }

        return fallback;
    }

    // Go's GOARCH names, which image indexes use (containerd platforms.normalizeArch).
    private static string Normalize(string arch) => arch switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" or "i686" => "386",
        _ => arch,
    };
}
