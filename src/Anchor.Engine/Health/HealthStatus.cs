namespace Anchor.Engine.Health;

/// <summary>docker's health states (moby api/types/container: Starting, Healthy, Unhealthy, NoHealthcheck).</summary>
public static class HealthStatus
{
    public const string Starting = "starting";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    /// <summary>No health check configured: what <c>ps --filter health=none</c> matches.</summary>
    public const string None = "none";
}
