namespace Anchor.Build.Dockerfile;

/// <summary>
/// A here-document of a RUN, COPY or ADD instruction (Dockerfile 1.4 syntax): <c>&lt;&lt;NAME</c>
/// (or <c>&lt;&lt;-NAME</c>, which strips leading tabs from its lines, <see cref="Chomp"/>) and
/// the lines up to the one that is NAME. <see cref="Expand"/> is false when any part of the
/// delimiter was quoted: then, as in sh(1), <c>$VAR</c> in the content stays as written.
/// <see cref="Content"/> is the raw text, every line with its newline.
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp)
{
    /// <summary>The content as a file or script gets it: leading tabs stripped from every line for <c>&lt;&lt;-</c>.</summary>
    public string Text => Chomp ? HeredocSyntax.StripLeadingTabs(Content) : Content;
}
