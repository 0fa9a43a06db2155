namespace Anchor.Build.Context;

/// <summary>A downloaded ADD source: the name it gets in a destination directory, where its bytes are, its time.</summary>
internal sealed record RemoteFile(string Name, string Path, DateTimeOffset ModifiedTime);
