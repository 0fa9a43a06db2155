namespace Anchor.Engine.Images;

/// <summary>One line of <c>anchor history</c>: newest first; Image is null where docker prints &lt;missing&gt;.</summary>
public sealed record HistoryRow(string? Image, DateTimeOffset? Created, string CreatedBy, long Size, string Comment);
