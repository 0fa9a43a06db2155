using System.Globalization;
using System.Text;
using Anchor.Cli.Output.Templates.Nodes;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Evaluates a parse tree against a <see cref="TemplateValue"/> (a port of Go's
/// text/template/exec.go). Errors read "template: :LINE:COL: executing "" at &lt;NODE&gt;: MSG",
/// where NODE is the command or field being evaluated, as Go reports them.
/// </summary>
internal sealed class TemplateExecutor
{
    private static readonly TemplateValue NoValue = TemplateValue.Missing;

    private readonly string _source;
    private readonly StringBuilder _output;
    private readonly MissingKeyMode _missingKey;
    private readonly bool _header;
    private readonly List<(string Name, TemplateValue Value)> _vars = [];
    private TemplateNode? _node;

    public TemplateExecutor(string source, StringBuilder output, MissingKeyMode missingKey, bool header)
    {
        _source = source;
        _output = output;
        _missingKey = missingKey;
        _header = header;
    }

    public void Execute(ListNode root, TemplateValue data)
    {
        _vars.Add(("$", data));
        Walk(data, root);
    }

    private TemplateException Fail(string message)
    {
        if (_node is null)
        {
            return new TemplateException($"template: : {message}");
        }

        var pos = Math.Min(_node.Pos, _source.Length);
        var before = _source[..pos];
        var newline = before.LastIndexOf('\n');
        var column = Encoding.UTF8.GetByteCount(newline < 0 ? before : before[(newline + 1)..]);
        var line = 1 + before.Count(c => c == '\n');
        return new TemplateException(
            $"template: :{line.ToString(CultureInfo.InvariantCulture)}:{column.ToString(CultureInfo.InvariantCulture)}: executing \"\" at <{_node}>: {message}");
    }

    private LoopSignal Walk(TemplateValue dot, TemplateNode node)
    {
        switch (node)
        {
            case TextNode text:
                _output.Append(text.Text);
                return LoopSignal.None;
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    var signal = Walk(dot, child);
                    if (signal != LoopSignal.None)
                    {
                        return signal;
                    }
                }

                return LoopSignal.None;
            case ActionNode action:
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    PrintValue(value);
                }

                return LoopSignal.None;
            case BranchNode { Kind: BranchKind.Range } range:
                return WalkRange(dot, range);
            case BranchNode branch:
                return WalkIfOrWith(dot, branch);
            case LoopControlNode loop:
                return loop.IsBreak ? LoopSignal.Break : LoopSignal.Continue;
            default:
                _node = node;
                throw Fail($"unknown node: {node}");
        }
    }

    /// <summary>Go prints a missing or nil value at the top level as "&lt;no value&gt;".</summary>
    private void PrintValue(TemplateValue value)
    {
        if (value.IsNull)
        {
            // A typed nil (a struct's nil slice, map or pointer) prints as Go prints it.
            _output.Append(value.NilText ?? "<no value>");
            return;
        }

        GoFormatter.Append(_output, value);
    }

    private LoopSignal WalkIfOrWith(TemplateValue dot, BranchNode branch)
    {
        var mark = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, branch.Pipe);
            if (GoComparison.IsTrue(value))
            {
                return Walk(branch.Kind == BranchKind.With ? value : dot, branch.List);
            }

            return branch.ElseList is null ? LoopSignal.None : Walk(dot, branch.ElseList);
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private LoopSignal WalkRange(TemplateValue dot, BranchNode range)
    {
        _node = range;
        var outer = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, range.Pipe);
            var items = RangeItems(value, range);
            var inner = _vars.Count;
            var any = false;
            foreach (var (key, element) in items)
            {
                any = true;
                if (range.Pipe.Decl.Count > 0)
                {
                    if (range.Pipe.IsAssign)
                    {
                        SetVar(range.Pipe.Decl[0].Ident[0], range.Pipe.Decl.Count > 1 ? key : element);
                        if (range.Pipe.Decl.Count > 1)
                        {
                            SetVar(range.Pipe.Decl[1].Ident[0], element);
                        }
                    }
                    else
                    {
                        _vars[inner - 1] = (_vars[inner - 1].Name, element);
                        if (range.Pipe.Decl.Count > 1)
                        {
                            _vars[inner - 2] = (_vars[inner - 2].Name, key);
                        }
                    }
                }

                var signal = Walk(element, range.List);
                _vars.RemoveRange(inner, _vars.Count - inner);
                if (signal == LoopSignal.Break)
                {
                    break;
                }
            }

            if (!any && range.ElseList is not null)
            {
                return Walk(dot, range.ElseList);
            }

            return LoopSignal.None;
        }
        finally
        {
            _vars.RemoveRange(outer, _vars.Count - outer);
        }
    }

    /// <summary>
    /// Arrays by index, maps in sorted key order (as Go ranges over maps), integers as 0..n-1 (Go
    /// 1.22). A null is an empty range: docker's typed values are nil slices there, which range
    /// zero times.
    /// </summary>
    private IEnumerable<(TemplateValue Key, TemplateValue Element)> RangeItems(TemplateValue value, BranchNode range)
    {
        switch (value.Kind)
        {
            case TemplateValueKind.Array:
                return value.AsArray.Select((e, i) => (TemplateValue.From((long)i), e)).ToList();
            case TemplateValueKind.Object:
                return value.AsObject.Sorted.Select(e => (TemplateValue.From(e.Key), e.Value)).ToList();
            case TemplateValueKind.Integer:
                if (range.Pipe.Decl.Count > 1)
                {
                    throw Fail($"can't use {value} to iterate over more than one variable");
                }

                return Enumerable.Range(0, (int)Math.Clamp(value.AsInteger, 0, int.MaxValue))
                    .Select(i => (TemplateValue.From((long)i), TemplateValue.From((long)i))).ToList();
            case TemplateValueKind.Null:
                return [];
            default:
                throw Fail($"range can't iterate over {value}");
        }
    }

    private TemplateValue EvalPipeline(TemplateValue dot, PipeNode pipe)
    {
        _node = pipe;
        TemplateValue? value = null;
        foreach (var cmd in pipe.Commands)
        {
            value = EvalCommand(dot, cmd, value);
        }

        var result = value ?? NoValue;
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(variable.Ident[0], result);
            }
            else
            {
                _vars.Add((variable.Ident[0], result));
            }
        }

        return result;
    }

    private void SetVar(string name, TemplateValue value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }

        throw Fail($"undefined variable: {name}");
    }

    private TemplateValue VarValue(string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }

        throw Fail($"undefined variable: {name}");
    }

    private TemplateValue EvalCommand(TemplateValue dot, CommandNode cmd, TemplateValue? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode field:
                _node = field;
                return EvalFieldChain(dot, dot, field.Ident, cmd.Args, final);
            case ChainNode chain:
                return EvalChain(dot, chain, cmd.Args, final);
            case IdentifierNode identifier:
                return EvalFunction(dot, identifier, cmd, cmd.Args, final);
            case PipeNode pipe:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariable(dot, variable, cmd.Args, final);
        }

        _node = first;
        NotAFunction(cmd.Args, final);
        return first switch
        {
            BoolNode b => TemplateValue.From(b.Value),
            DotNode => dot,
            NilNode => throw Fail("nil is not a command"),
            NumberNode n => n.Value,
            StringNode s => TemplateValue.From(s.Text),
            _ => throw Fail($"can't evaluate command {GoQuote.Quote(first.ToString()!)}"),
        };
    }

    private void NotAFunction(List<TemplateNode> args, TemplateValue? final)
    {
        if (args.Count > 1 || final is not null)
        {
            throw Fail($"can't give argument to non-function {args[0]}");
        }
    }

    private TemplateValue EvalChain(TemplateValue dot, ChainNode chain, List<TemplateNode> args, TemplateValue? final)
    {
        _node = chain;
        if (chain.Node is NilNode)
        {
            throw Fail($"indirection through explicit nil in {chain}");
        }

        var pipe = EvalArg(dot, chain.Node);
        _node = chain;
        return EvalFieldChain(dot, pipe, chain.Field, args, final);
    }

    private TemplateValue EvalVariable(TemplateValue dot, VariableNode variable, List<TemplateNode> args, TemplateValue? final)
    {
        _node = variable;
        var value = VarValue(variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            NotAFunction(args, final);
            return value;
        }

        return EvalFieldChain(dot, value, variable.Ident[1..], args, final);
    }

    private TemplateValue EvalFieldChain(TemplateValue dot, TemplateValue receiver, string[] ident, List<TemplateNode> args, TemplateValue? final)
    {
        for (var i = 0; i < ident.Length - 1; i++)
        {
            receiver = EvalField(ident[i], [], null, receiver);
        }

        if (receiver.Kind == TemplateValueKind.Object && receiver.AsObject.Methods is { } methods && methods.TryGetValue(ident[^1], out var method))
        {
            return CallMethod(dot, ident[^1], method, args, final);
        }

        return EvalField(ident[^1], args, final, receiver);
    }

    /// <summary>exec.go evalCall for a method of a struct: its arguments are counted and evaluated like a function's.</summary>
    private TemplateValue CallMethod(TemplateValue dot, string name, TemplateFunction method, List<TemplateNode> args, TemplateValue? final)
    {
        var count = args.Count - 1 + (final is null ? 0 : 1);
        if (count < method.Min || (method.Max >= 0 && count > method.Max))
        {
            throw Fail($"wrong number of args for {name}: want {method.Max} got {count}");
        }

        var values = new List<TemplateValue>(count);
        for (var i = 1; i < args.Count; i++)
        {
            values.Add(Unwrap(EvalArg(dot, args[i])));
        }

        if (final is not null)
        {
            values.Add(Unwrap(final));
        }

        return method.Call(values);
    }

    private TemplateValue EvalField(string fieldName, List<TemplateNode> args, TemplateValue? final, TemplateValue receiver)
    {
        var hasArgs = args.Count > 1 || final is not null;
        if (ReferenceEquals(receiver, NoValue))
        {
            return _missingKey == MissingKeyMode.Error
                ? throw Fail($"nil data; no entry for key {GoQuote.Quote(fieldName)}")
                : NoValue;
        }

        switch (receiver.Kind)
        {
            case TemplateValueKind.Object when receiver.AsObject.TypeName is { } typeName:
                if (!receiver.AsObject.TryGetValue(fieldName, out var field))
                {
                    throw Fail($"can't evaluate field {fieldName} in type {typeName}");
                }

                return hasArgs ? throw Fail($"{fieldName} has arguments but cannot be invoked as function") : field;
            case TemplateValueKind.Object:
                if (hasArgs)
                {
                    throw Fail($"{fieldName} is not a method but has arguments");
                }

                if (receiver.AsObject.TryGetValue(fieldName, out var entry))
                {
                    return entry;
                }

                return _missingKey == MissingKeyMode.Error
                    ? throw Fail($"map has no entry for key {GoQuote.Quote(fieldName)}")
                    : NoValue;
            case TemplateValueKind.Null when ReferenceEquals(receiver, TemplateValue.NilMap) && !hasArgs:
                // A typed nil map has no entries: a key is missing from it, not a nil pointer.
                return _missingKey == MissingKeyMode.Error
                    ? throw Fail($"map has no entry for key {GoQuote.Quote(fieldName)}")
                    : NoValue;
            case TemplateValueKind.Null:
                throw Fail($"nil pointer evaluating interface {{}}.{fieldName}");
            default:
                throw Fail($"can't evaluate field {fieldName} in type {receiver.GoTypeName}");
        }
    }

    /// <summary>An argument of a function call (exec.go evalArg for an interface{} parameter).</summary>
    private TemplateValue EvalArg(TemplateValue dot, TemplateNode node)
    {
        _node = node;
        return node switch
        {
            DotNode => dot,
            NilNode => TemplateValue.Null,
            FieldNode field => EvalFieldChain(dot, dot, field.Ident, [node], null),
            VariableNode variable => EvalVariable(dot, variable, [node], null),
            PipeNode pipe => EvalPipeline(dot, pipe),
            IdentifierNode identifier => EvalFunction(dot, identifier, identifier, [identifier], null),
            ChainNode chain => EvalChain(dot, chain, [node], null),
            BoolNode b => TemplateValue.From(b.Value),
            NumberNode n => n.Value,
            StringNode s => TemplateValue.From(s.Text),
            _ => throw Fail($"can't handle {node} for arg"),
        };
    }

    private TemplateValue EvalFunction(TemplateValue dot, IdentifierNode node, TemplateNode cmd, List<TemplateNode> args, TemplateValue? final)
    {
        _node = node;
        var name = node.Ident;
        var function = TemplateFunctions.Get(name, _header);
        var count = args.Count - 1 + (final is null ? 0 : 1);
        if (count < function.Min || (function.Max >= 0 && count > function.Max))
        {
            throw Fail(function.Max < 0
                ? $"wrong number of args for {name}: want at least {function.Min} got {count}"
                : $"wrong number of args for {name}: want {function.Max} got {count}");
        }

        if (name is "and" or "or")
        {
            return EvalShortCircuit(dot, name == "and", args, final);
        }

        var values = new List<TemplateValue>(count);
        for (var i = 1; i < args.Count; i++)
        {
            values.Add(Unwrap(EvalArg(dot, args[i])));
        }

        if (final is not null)
        {
            values.Add(Unwrap(final));
        }

        try
        {
            return function.Call(values);
        }
        catch (FunctionException e)
        {
            _node = cmd;
            throw Fail(e.IsCallError ? $"error calling {name}: {e.Message}" : e.Message);
        }
    }

    /// <summary>
    /// Go 1.18+ <c>and</c>/<c>or</c>: arguments are evaluated left to right only until the result
    /// is known; the result is that argument's value, not a bool.
    /// </summary>
    private TemplateValue EvalShortCircuit(TemplateValue dot, bool isAnd, List<TemplateNode> args, TemplateValue? final)
    {
        TemplateValue value = NoValue;
        var count = args.Count - 1 + (final is null ? 0 : 1);
        for (var i = 0; i < count; i++)
        {
            value = i + 1 < args.Count ? Unwrap(EvalArg(dot, args[i + 1])) : Unwrap(final!);
            if (GoComparison.IsTrue(value) != isAnd)
            {
                return value;
            }
        }

        return value;
    }

    /// <summary>A missing value passed to a function is a nil interface (printed &lt;nil&gt;).</summary>
    private static TemplateValue Unwrap(TemplateValue value) => ReferenceEquals(value, NoValue) ? TemplateValue.Null : value;
}
