namespace Anchor.Cli.Output.Templates;

/// <summary>One lexical item: its kind, byte-offset-like position in the source, text and line.</summary>
internal readonly record struct Token(TokenKind Kind, int Pos, string Value, int Line)
{
    /// <summary>How Go's parser names a token in "unexpected X in Y" errors (lex.go, item.String).</summary>
    public override string ToString() => Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Error => Value,
        > TokenKind.Keyword => "<" + Value + ">",
        _ when Value.Length > 10 => GoQuote.Quote(Value[..10]) + "...",
        _ => GoQuote.Quote(Value),
    };
}
