namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Go's text/template lexer (text/template/parse/lex.go) for the default <c>{{ }}</c> delimiters:
/// text, actions, <c>{{- </c>/<c> -}}</c> trim markers (which eat the adjacent white space:
/// space, tab, CR, LF) and <c>{{/* comments */}}</c>.
/// </summary>
internal sealed class TemplateLexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _start;
    private int _parenDepth;

    private TemplateLexer(string input) => _input = input;

    public static List<Token> Lex(string input)
    {
        var lexer = new TemplateLexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        var inAction = false;
        while (true)
        {
            var ok = inAction ? LexInsideAction(out inAction) : LexText(out inAction);
            if (!ok)
            {
                return;
            }
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == '-';

    private bool At(int at, string s) => string.CompareOrdinal(_input, at, s, 0, s.Length) == 0 && at + s.Length <= _input.Length;

    private int Line(int pos)
    {
        var line = 1;
        for (var i = 0; i < pos && i < _input.Length; i++)
        {
            if (_input[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _start, _input[_start.._pos], Line(_start)));
        _start = _pos;
    }

    private bool Error(string message)
    {
        _tokens.Add(new Token(TokenKind.Error, _start, message, Line(_start)));
        return false;
    }

    private bool LexText(out bool inAction)
    {
        var x = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            _pos = _input.Length;
            if (_pos > _start)
            {
                Emit(TokenKind.Text);
            }

            _tokens.Add(new Token(TokenKind.Eof, _pos, "", Line(_pos)));
            inAction = false;
            return false;
        }

        var trim = HasLeftTrimMarker(x + LeftDelim.Length);
        var end = x;
        if (trim)
        {
            while (end > _start && IsSpace(_input[end - 1]))
            {
                end--;
            }
        }

        _pos = end;
        if (_pos > _start)
        {
            Emit(TokenKind.Text);
        }

        _pos = _start = x;
        var afterMarker = trim ? 2 : 0;
        if (At(x + LeftDelim.Length + afterMarker, "/*"))
        {
            _pos = x + LeftDelim.Length + afterMarker;
            _start = _pos;
            inAction = false;
            return LexComment();
        }

        _pos += LeftDelim.Length;
        Emit(TokenKind.LeftDelim);
        _pos += afterMarker;
        _start = _pos;
        _parenDepth = 0;
        inAction = true;
        return true;
    }

    private bool LexComment()
    {
        var close = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            return Error("unclosed comment");
        }

        _pos = close + 2;
        var (delim, trim) = AtRightDelim();
        if (!delim)
        {
            return Error("comment ends before closing delimiter");
        }

        _pos += (trim ? 2 : 0) + RightDelim.Length;
        if (trim)
        {
            SkipLeadingSpace();
        }

        _start = _pos;
        return true;
    }

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(_pos) && At(_pos + 2, RightDelim))
        {
            return (true, true);
        }

        return (At(_pos, RightDelim), false);
    }

    private void SkipLeadingSpace()
    {
        while (_pos < _input.Length && IsSpace(_input[_pos]))
        {
            _pos++;
        }
    }

    private bool LexRightDelim(bool trim)
    {
        _pos += trim ? 2 : 0;
        _start = _pos;
        _pos += RightDelim.Length;
        Emit(TokenKind.RightDelim);
        if (trim)
        {
            SkipLeadingSpace();
            _start = _pos;
        }

        return true;
    }

    private bool LexInsideAction(out bool inAction)
    {
        inAction = true;
        var (delim, trim) = AtRightDelim();
        if (delim)
        {
            if (_parenDepth == 0)
            {
                inAction = false;
                return LexRightDelim(trim);
            }

            return Error("unclosed left paren");
        }

        if (_pos >= _input.Length)
        {
            return Error("unclosed action");
        }

        var c = _input[_pos];
        switch (c)
        {
            case var _ when IsSpace(c):
                return LexSpace();
            case '=':
                _pos++;
                Emit(TokenKind.Assign);
                return true;
            case ':':
                if (_pos + 1 >= _input.Length || _input[_pos + 1] != '=')
                {
                    return Error("expected :=");
                }

                _pos += 2;
                Emit(TokenKind.Declare);
                return true;
            case '|':
                _pos++;
                Emit(TokenKind.Pipe);
                return true;
            case '"':
                return LexQuote('"', "unterminated quoted string", TokenKind.String);
            case '`':
                return LexQuote('`', "unterminated raw quoted string", TokenKind.RawString);
            case '\'':
                return LexQuote('\'', "unterminated character constant", TokenKind.CharConstant);
            case '$':
                _pos++;
                return LexVariableOrField(TokenKind.Variable);
            case '.':
                if (_pos + 1 < _input.Length && char.IsAsciiDigit(_input[_pos + 1]))
                {
                    return LexNumber();
                }

                _pos++;
                return LexVariableOrField(TokenKind.Field);
            case '+' or '-' or (>= '0' and <= '9'):
                return LexNumber();
            case '(':
                _pos++;
                _parenDepth++;
                Emit(TokenKind.LeftParen);
                return true;
            case ')':
                _pos++;
                _parenDepth--;
                if (_parenDepth < 0)
                {
                    return Error("unexpected right paren");
                }

                Emit(TokenKind.RightParen);
                return true;
            case var _ when IsAlphaNumeric(c):
                return LexIdentifier();
            case <= '\u007f' when !char.IsControl(c):
                _pos++;
                Emit(TokenKind.Char);
                return true;
            default:
                return Error($"unrecognized character in action: {GoPrintf.UnicodeFormat(c)}");
        }
    }

    private bool LexSpace()
    {
        var spaces = 0;
        while (_pos < _input.Length && IsSpace(_input[_pos]))
        {
            _pos++;
            spaces++;
        }

        // A trim-marked closing delimiter begins with a space: leave that space to it.
        if (HasRightTrimMarker(_pos - 1) && At(_pos - 1 + 2, RightDelim))
        {
            _pos--;
            if (spaces == 1)
            {
                return true;
            }
        }

        Emit(TokenKind.Space);
        return true;
    }

    private bool LexQuote(char quote, string unterminated, TokenKind kind)
    {
        _pos++;
        while (true)
        {
            if (_pos >= _input.Length || (quote != '`' && _input[_pos] == '\n'))
            {
                return Error(unterminated);
            }

            var c = _input[_pos++];
            if (c == '\\' && quote != '`')
            {
                if (_pos >= _input.Length || _input[_pos] == '\n')
                {
                    return Error(unterminated);
                }

                _pos++;
            }
            else if (c == quote)
            {
                break;
            }
        }

        Emit(kind);
        return true;
    }

    private bool LexVariableOrField(TokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return true;
        }

        while (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            return Error($"bad character {GoPrintf.UnicodeFormat(_input[_pos])}");
        }

        Emit(kind);
        return true;
    }

    private bool LexIdentifier()
    {
        while (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            return Error($"bad character {GoPrintf.UnicodeFormat(_input[_pos])}");
        }

        var word = _input[_start.._pos];
        var kind = word switch
        {
            "if" => TokenKind.If,
            "else" => TokenKind.Else,
            "end" => TokenKind.End,
            "range" => TokenKind.Range,
            "with" => TokenKind.With,
            "break" => TokenKind.Break,
            "continue" => TokenKind.Continue,
            "define" => TokenKind.Define,
            "template" => TokenKind.Template,
            "block" => TokenKind.Block,
            "nil" => TokenKind.Nil,
            "true" or "false" => TokenKind.Bool,
            _ => TokenKind.Identifier,
        };
        Emit(kind);
        return true;
    }

    /// <summary>Whether the next character can end a word (lex.go atTerminator).</summary>
    private bool AtTerminator()
    {
        if (_pos >= _input.Length)
        {
            return true;
        }

        var c = _input[_pos];
        return IsSpace(c) || c is '.' or ',' or '|' or ':' or ')' or '(' || At(_pos, RightDelim);
    }

    private bool LexNumber()
    {
        if (!ScanNumber())
        {
            return Error($"bad number syntax: {GoQuote.Quote(_input[_start.._pos])}");
        }

        Emit(TokenKind.Number);
        return true;
    }

    private bool ScanNumber()
    {
        Accept("+-");
        var digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }

        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }

        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        Accept("i");
        if (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
            return false;
        }

        return true;
    }

    private bool Accept(string valid)
    {
        if (_pos < _input.Length && valid.Contains(_input[_pos], StringComparison.Ordinal))
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void AcceptRun(string valid)
    {
        while (Accept(valid))
        {
        }
    }
}
