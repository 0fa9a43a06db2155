using System.Text.Json;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Security;

/// <summary>
/// The seccomp object of a container's spec, as docker's daemon makes it (moby daemon/seccomp_linux.go
/// WithSeccomp): docker's default profile or the stored one, resolved for the container's bounding
/// set, this architecture and the running kernel; none for seccomp=unconfined.
/// </summary>
public static class SeccompProfiles
{
    /// <summary>The filter for a container with these options and bounding set (null: unconfined).</summary>
    public static SpecSeccomp? For(SecurityOptions security, IReadOnlyList<string> bounding)
    {
        ArgumentNullException.ThrowIfNull(security);
        if (security.Unconfined)
        {
            return null;
        }

        var profile = security.HasCustomSeccompProfile ? Decode(security.SeccompProfile!) : DockerDefaultSeccompProfile.Profile;
        try
        {
            return SeccompProfileResolver.Resolve(profile, bounding, SeccompProfileResolver.NativeArch, KernelVersion.Host);
        }
        catch (SeccompProfileException e)
        {
            throw new EngineException(e.Message);
        }
    }

    /// <summary>Docker's format from JSON (moby LoadProfile), or its error.</summary>
    public static SeccompProfile Decode(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // Go decodes "null" into an empty profile, which means no filter.
            return JsonSerializer.Deserialize(json, SeccompProfileJsonContext.Default.SeccompProfile) ?? new SeccompProfile();
        }
        catch (Exception e) when (e is JsonException or SeccompProfileException)
        {
            throw new EngineException($"Decoding seccomp profile failed: {e.Message}");
        }
    }
}
