using Anchor.Engine;
using Anchor.Images;
using Anchor.Images.Registry;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>build --platform OS[/ARCH[/VARIANT]]</c>: anchor builds for the host only (RUN steps run on
/// it, without emulation), so the host's platform is accepted and any other is refused before the
/// build starts, rather than silently building the host's.
/// </summary>
public static class BuildPlatformFlag
{
    public static void Check(string? value, string hostArchitecture)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        foreach (var one in value.Split(',').Select(v => v.Trim()))
        {
            // containerd's platforms.Parse: an OS alone means the host's architecture.
            if (one.Equals("linux", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Anchor.Oci.Platform platform;
            try
            {
                platform = PlatformSelector.Parse(one);
            }
            catch (ImageException e)
            {
                throw new EngineException(e.Message, 125);
            }

            // amd64's only variant is v1 and arm64's v8 (containerd's normalization).
            var variantOk = platform.Variant is null || (hostArchitecture, platform.Variant) is ("amd64", "v1") or ("arm64", "v8");
            if (platform.Os != "linux" || platform.Architecture != hostArchitecture || !variantOk)
            {
                throw new EngineException($"--platform {one}: anchor build builds for the host's platform only (linux/{hostArchitecture})", 125);
            }
        }
    }
}
