namespace Anchor.Api;

/// <summary>A request the API cannot read (malformed JSON, a bad query value): docker's 400.</summary>
public sealed class BadRequestException(string message) : Exception(message);
