using Anchor.Cli.Output.Templates.Nodes;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// A port of Go's text/template/parse/parse.go for the subset docker users write: actions,
/// pipelines, variables, parenthesised pipelines, <c>if</c>/<c>else if</c>/<c>else with</c>,
/// <c>range</c> (with <c>break</c>/<c>continue</c>), <c>with</c>. Error texts and positions
/// follow Go's so that messages match docker's byte for byte.
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<Token> _tokens;
    private readonly List<string> _vars = ["$"];
    private int _index;
    private Token _last;
    private int _rangeDepth;
    private int _actionLine;

    private TemplateParser(List<Token> tokens) => _tokens = tokens;

    public static ListNode Parse(string text)
    {
        var parser = new TemplateParser(TemplateLexer.Lex(text));
        return parser.ParseRoot();
    }

    private Token Next()
    {
        _last = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _index++;
        return _last;
    }

    private void Backup() => _index--;

    private Token Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];

    private Token NextNonSpace()
    {
        Token token;
        do
        {
            token = Next();
        }
        while (token.Kind == TokenKind.Space);
        return token;
    }

    private Token PeekNonSpace()
    {
        var token = NextNonSpace();
        Backup();
        return token;
    }

    private TemplateException Error(string message) => new($"template: :{_last.Line}: {message}");

    private TemplateException Unexpected(Token token, string context)
    {
        if (token.Kind == TokenKind.Error)
        {
            var extra = "";
            if (_actionLine != 0 && _actionLine != token.Line)
            {
                extra = token.Value.EndsWith(" action", StringComparison.Ordinal)
                    ? $" started at :{_actionLine}"
                    : $" in action started at :{_actionLine}";
            }

            return Error(token.Value + extra);
        }

        return Error($"unexpected {token} in {context}");
    }

    private ListNode ParseRoot()
    {
        var root = new ListNode(Peek().Pos, []);
        while (Peek().Kind != TokenKind.Eof)
        {
            var node = TextOrAction();
            if (node is DelimiterNode)
            {
                throw Error($"unexpected {node}");
            }

            root.Nodes.Add(node);
        }

        return root;
    }

    private (ListNode List, DelimiterNode Next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos, []);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var node = TextOrAction();
            if (node is DelimiterNode delimiter)
            {
                return (list, delimiter);
            }

            list.Nodes.Add(node);
        }

        throw Error("unexpected EOF");
    }

    private TemplateNode TextOrAction()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Text:
                return new TextNode(token.Pos, token.Value);
            case TokenKind.LeftDelim:
                _actionLine = token.Line;
                try
                {
                    return Action();
                }
                finally
                {
                    _actionLine = 0;
                }

            default:
                throw Unexpected(token, "input");
        }
    }

    private TemplateNode Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Else:
                return ElseControl();
            case TokenKind.End:
                return new DelimiterNode(Expect(TokenKind.RightDelim, "end").Pos, false, token.Line);
            case TokenKind.If:
                return Control(BranchKind.If);
            case TokenKind.Range:
                return Control(BranchKind.Range);
            case TokenKind.With:
                return Control(BranchKind.With);
            case TokenKind.Break or TokenKind.Continue:
                return LoopControl(token);
            case TokenKind.Define or TokenKind.Template or TokenKind.Block:
                throw Error($"{{{{{token.Value}}}}} is not supported");
        }

        Backup();
        var first = Peek();
        return new ActionNode(first.Pos, Pipeline("command", TokenKind.RightDelim));
    }

    private Token Expect(TokenKind kind, string context)
    {
        var token = NextNonSpace();
        return token.Kind == kind ? token : throw Unexpected(token, context);
    }

    private DelimiterNode ElseControl()
    {
        var peek = PeekNonSpace();
        if (peek.Kind is TokenKind.If or TokenKind.With)
        {
            // "{{else if ...": in effect {{else}}{{if ...}}...{{end}}{{end}}, with one {{end}}.
            return new DelimiterNode(peek.Pos, true, peek.Line);
        }

        var token = Expect(TokenKind.RightDelim, "else");
        return new DelimiterNode(token.Pos, true, token.Line);
    }

    private LoopControlNode LoopControl(Token keyword)
    {
        var name = keyword.Kind == TokenKind.Break ? "{{break}}" : "{{continue}}";
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim)
        {
            throw Unexpected(token, name);
        }

        if (_rangeDepth == 0)
        {
            throw Error($"{name} outside {{{{range}}}}");
        }

        return new LoopControlNode(keyword.Pos, keyword.Kind == TokenKind.Break);
    }

    private BranchNode Control(BranchKind kind)
    {
        var context = kind.ToString().ToLowerInvariant();
        var varCount = _vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenKind.RightDelim);
            if (kind == BranchKind.Range)
            {
                _rangeDepth++;
            }

            var (list, next) = ItemList();
            if (kind == BranchKind.Range)
            {
                _rangeDepth--;
            }

            ListNode? elseList = null;
            if (next.IsElse)
            {
                if (kind == BranchKind.If && Peek().Kind == TokenKind.If)
                {
                    Next();
                    elseList = new ListNode(next.Pos, [Control(BranchKind.If)]);
                }
                else if (kind == BranchKind.With && Peek().Kind == TokenKind.With)
                {
                    Next();
                    elseList = new ListNode(next.Pos, [Control(BranchKind.With)]);
                }
                else
                {
                    (elseList, var end) = ItemList();
                    if (end.IsElse)
                    {
                        throw Error($"expected end; found {end}");
                    }
                }
            }

            return new BranchNode(pipe.Pos, kind, pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(varCount, _vars.Count - varCount);
        }
    }

    private PipeNode Pipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos, [], false, []);
        var isAssign = false;
        ParseDeclarations(pipe, context, ref isAssign);
        pipe = pipe with { IsAssign = isAssign };
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }

            switch (token.Kind)
            {
                case TokenKind.Bool or TokenKind.CharConstant or TokenKind.Dot or TokenKind.Field or TokenKind.Identifier
                    or TokenKind.Number or TokenKind.Nil or TokenKind.RawString or TokenKind.String or TokenKind.Variable
                    or TokenKind.LeftParen:
                    Backup();
                    pipe.Commands.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void ParseDeclarations(PipeNode pipe, string context, ref bool isAssign)
    {
        while (true)
        {
            var v = PeekNonSpace();
            if (v.Kind != TokenKind.Variable)
            {
                return;
            }

            var mark = _index;
            NextNonSpace();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                isAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                return;
            }

            if (next.Kind == TokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    if (PeekNonSpace().Kind is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen)
                    {
                        continue;
                    }

                    throw Error("range can only initialize variables");
                }

                throw Error($"too many declarations in {context}");
            }

            // "$x foo": $x is an argument, not a declaration.
            _index = mark;
            return;
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Commands.Count == 0)
        {
            throw Error($"missing value for {context}");
        }

        for (var i = 1; i < pipe.Commands.Count; i++)
        {
            if (pipe.Commands[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
            {
                throw Error($"non executable command in pipeline stage {i + 1}");
            }
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos, []);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null)
            {
                cmd.Args.Add(operand);
            }

            var token = Next();
            if (token.Kind == TokenKind.Space)
            {
                continue;
            }

            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen)
            {
                Backup();
            }
            else if (token.Kind != TokenKind.Pipe)
            {
                throw Unexpected(token, "operand");
            }

            break;
        }

        return cmd.Args.Count == 0 ? throw Error("empty command") : cmd;
    }

    private TemplateNode? Operand()
    {
        var node = Term();
        if (node is null || Peek().Kind != TokenKind.Field)
        {
            return node;
        }

        var chainPos = Peek().Pos;
        var fields = new List<string>();
        while (Peek().Kind == TokenKind.Field)
        {
            fields.Add(Next().Value[1..]);
        }

        // As Go: fields after a field or variable extend it; after a literal they are an error.
        return node switch
        {
            FieldNode f => new FieldNode(chainPos, [.. f.Ident, .. fields]),
            VariableNode v => new VariableNode(chainPos, [.. v.Ident, .. fields]),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw Error($"unexpected . after term {GoQuote.Quote(node.ToString()!)}"),
            _ => new ChainNode(chainPos, node, [.. fields]),
        };
    }

    private TemplateNode? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!TemplateFunctions.Exists(token.Value))
                {
                    throw Error($"function {GoQuote.Quote(token.Value)} not defined");
                }

                return new IdentifierNode(token.Pos, token.Value);
            case TokenKind.Dot:
                return new DotNode(token.Pos);
            case TokenKind.Nil:
                return new NilNode(token.Pos);
            case TokenKind.Variable:
                if (!_vars.Contains(token.Value))
                {
                    throw Error($"undefined variable {GoQuote.Quote(token.Value)}");
                }

                return new VariableNode(token.Pos, [token.Value]);
            case TokenKind.Field:
                return new FieldNode(token.Pos, [token.Value[1..]]);
            case TokenKind.Bool:
                return new BoolNode(token.Pos, token.Value == "true");
            case TokenKind.Number or TokenKind.CharConstant:
                return new NumberNode(token.Pos, token.Value, GoNumber.Parse(token) ?? throw Error($"illegal number syntax: {GoQuote.Quote(token.Value)}"));
            case TokenKind.LeftParen:
                return Pipeline("parenthesized pipeline", TokenKind.RightParen);
            case TokenKind.String or TokenKind.RawString:
                var text = GoQuote.Unquote(token.Value) ?? throw Error("invalid syntax");
                return new StringNode(token.Pos, token.Value, text);
        }

        Backup();
        return null;
    }
}
