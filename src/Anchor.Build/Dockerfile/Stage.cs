namespace Anchor.Build.Dockerfile;

/// <summary>A build stage: its FROM (base image, optional <c>AS name</c>, lower-case) and its instructions.</summary>
public sealed record Stage(int Index, string BaseName, string? Name, Instruction From, IReadOnlyList<Instruction> Commands);
