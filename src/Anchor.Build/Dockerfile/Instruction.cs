namespace Anchor.Build.Dockerfile;

/// <summary>
/// One Dockerfile instruction after line continuations are joined: <see cref="Keyword"/> upper-case,
/// <c>--flags</c> split off, <see cref="Json"/> set for the exec (JSON array) form, and for ENV,
/// LABEL and ARG the <see cref="Pairs"/> still quoted (they are expanded when the step runs).
/// </summary>
public sealed record Instruction
{
    public required string Keyword { get; init; }

    /// <summary>The arguments after the flags, as written (continuations joined).</summary>
    public required string Arguments { get; init; }

    public IReadOnlyList<string>? Json { get; init; }

    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>();

    /// <summary>Every flag in the order written, repeats kept (<c>RUN --mount=… --mount=…</c>); <see cref="Flags"/> keeps the last of each.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AllFlags { get; init; } = [];

    /// <summary>ENV/LABEL key=value pairs, ARG name[=default] (value null without a default).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Pairs { get; init; } = [];

    /// <summary>The 1-based line the instruction starts on.</summary>
    public required int Line { get; init; }

    /// <summary>The instruction as docker's classic builder echoes it in <c>Step n/m : …</c>.</summary>
    public required string Original { get; init; }

    /// <summary>The here-documents whose bodies followed the instruction (RUN, COPY, ADD; Dockerfile 1.4).</summary>
    public IReadOnlyList<Heredoc> Heredocs { get; init; } = [];

    public bool IsJson => Json is not null;

    public string? Flag(string name) => Flags.TryGetValue(name, out var value) ? value : null;
}
