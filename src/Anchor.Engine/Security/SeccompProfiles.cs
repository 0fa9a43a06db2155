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
    /// <summary>The default profile resolved for the last bounding set asked for.</summary>
    private static DefaultMemo? lastDefault;

    /// <summary>The filter for a container with these options and bounding set (null: unconfined).</summary>
    public static SpecSeccomp? For(SecurityOptions security, IReadOnlyList<string> bounding)
    {
        ArgumentNullException.ThrowIfNull(security);
        ArgumentNullException.ThrowIfNull(bounding);
        if (security.Unconfined)
        {
            return null;
        }

        if (security.HasCustomSeccompProfile)
        {
            return Resolve(Decode(security.SeccompProfile!), bounding);
        }

        // The same object for the same bounding set: the runtime keeps the cache key it computed
        // for it (SeccompProgram.Prepare), which the warm-up thread does for docker's default set.
        if (Volatile.Read(ref lastDefault) is { } memo && memo.Bounding.SequenceEqual(bounding, StringComparer.Ordinal))
        {
            return memo.Spec;
        }

        var spec = Resolve(DockerDefaultSeccompProfile.Profile, bounding);
        Volatile.Write(ref lastDefault, new DefaultMemo([.. bounding], spec));
        return spec;
    }

    /// <summary>
    /// Resolves docker's default profile for docker's default capabilities and computes its cache
    /// key, so that the code and the results are ready when `anchor run` makes its spec: most of
    /// their cost in a new process is first use (page faults, static data), not work.
    /// </summary>
    public static void WarmUp()
    {
        if (For(SecurityOptions.None, Run.CapabilitySet.Resolve([], [])) is { } spec)
        {
            Runtime.Security.SeccompProgram.Prepare(spec);
        }
    }

    private static SpecSeccomp? Resolve(SeccompProfile profile, IReadOnlyList<string> bounding)
    {
        try
        {
            return SeccompProfileResolver.Resolve(profile, bounding, SeccompProfileResolver.NativeArch, KernelVersion.Host);
        }
        catch (SeccompProfileException e)
        {
            throw new EngineException(e.Message);
        }
    }

    private sealed record DefaultMemo(IReadOnlyList<string> Bounding, SpecSeccomp? Spec);

    /// <summary>Docker's format from JSON (moby LoadProfile), or its error.</summary>
    public static SeccompProfile Decode(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // Go decodes "null" into an empty profile, which means no filter.
            return JsonSerializer.Deserialize(json, SeccompProfileJsonContext.Default.SeccompProfile) ?? new SeccompProfile();
        }
        catch (SeccompProfileException e)
        {
            throw new EngineException($"Decoding seccomp profile failed: {e.Message}");
        }
        catch (JsonException e)
        {
            // Words of our own: the published binary carries System.Text.Json's message keys only.
            throw new EngineException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Decoding seccomp profile failed: json: cannot decode the value at {e.Path ?? "$"} (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1})"));
        }
    }
}
