namespace Anchor.Engine;

/// <summary>
/// The executable the engine re-executes for its hidden stages (<c>anchor monitor</c>,
/// <c>anchor reap-trash</c>): this process's own, unless ANCHOR_STAGE_BINARY names another. The API
/// server (<c>anchor-serve</c>) is started by <c>anchor serve</c> with it set to <c>anchor</c>, so a
/// container started through the API is owned by the same small monitor as one started by the CLI.
/// </summary>
public static class StageBinary
{
    public const string Variable = "ANCHOR_STAGE_BINARY";

    public static string Path { get; } =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named ? named : Environment.ProcessPath ?? "/proc/self/exe";
}
