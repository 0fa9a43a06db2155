namespace Anchor.Cli.Output.Templates;

/// <summary>Lexical items, as in Go's text/template/parse/lex.go.</summary>
internal enum TokenKind
{
    Error,
    Eof,
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Bool,
    CharConstant,
    Number,
    String,
    RawString,
    Field,
    Dot,
    Variable,
    Identifier,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Char,
    Nil,

    // Keywords come after this marker: Go prints them as <name> in "unexpected" errors.
    Keyword,
    If,
    Else,
    End,
    Range,
    With,
    Break,
    Continue,
    Define,
    Template,
    Block,
}
