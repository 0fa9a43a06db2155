namespace Anchor.Engine.Images;

/// <summary>One line of <c>anchor history</c>: a build step of the image config's history.</summary>
public sealed record HistoryRow(string Id, DateTimeOffset? Created, string CreatedBy, long Size, string Comment);
