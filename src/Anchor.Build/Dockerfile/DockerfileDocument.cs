namespace Anchor.Build.Dockerfile;

/// <summary>A parsed Dockerfile: the ARGs before the first FROM and the stages.</summary>
public sealed record DockerfileDocument(IReadOnlyList<Instruction> MetaArgs, IReadOnlyList<Stage> Stages, char Escape);
