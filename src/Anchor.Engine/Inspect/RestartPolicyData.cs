namespace Anchor.Engine.Inspect;

/// <summary>HostConfig.RestartPolicy: "no", "always", "unless-stopped" or "on-failure".</summary>
public sealed record RestartPolicyData(string Name = "no", int MaximumRetryCount = 0);
