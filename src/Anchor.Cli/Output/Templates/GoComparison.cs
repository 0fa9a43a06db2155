namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Go's template comparison functions (text/template funcs.go): only basic kinds compare, an int
/// never equals a float or a string ("incompatible types for comparison"), and <c>eq</c> takes
/// several right-hand sides (<c>eq .X 1 2 3</c> is true if .X is any of them).
/// </summary>
internal static class GoComparison
{
    public static bool Eq(IReadOnlyList<TemplateValue> args)
    {
        if (args.Count < 2)
        {
            throw new FunctionException("missing argument for comparison");
        }

        var a = args[0];
        for (var i = 1; i < args.Count; i++)
        {
            var b = args[i];
            if (a.Kind != b.Kind)
            {
                if (!a.IsNull && !b.IsNull)
                {
                    throw new FunctionException("incompatible types for comparison");
                }

                continue;
            }

            var truth = a.Kind switch
            {
                TemplateValueKind.Null => true,
                TemplateValueKind.Bool => a.AsBool == b.AsBool,
                TemplateValueKind.Integer => a.AsInteger == b.AsInteger,
                TemplateValueKind.Float => a.AsFloat.Equals(b.AsFloat),
                TemplateValueKind.String => string.Equals(a.AsString, b.AsString, StringComparison.Ordinal),
                _ => throw new FunctionException($"non-comparable type {b}: {b.GoTypeName}"),
            };
            if (truth)
            {
                return true;
            }
        }

        return false;
    }

    public static bool Lt(TemplateValue a, TemplateValue b)
    {
        if (!IsOrdered(a) || !IsOrdered(b))
        {
            throw new FunctionException("invalid type for comparison");
        }

        if (a.Kind != b.Kind)
        {
            throw new FunctionException("incompatible types for comparison");
        }

        return a.Kind switch
        {
            TemplateValueKind.Integer => a.AsInteger < b.AsInteger,
            TemplateValueKind.Float => a.AsFloat < b.AsFloat,
            _ => string.CompareOrdinal(a.AsString, b.AsString) < 0,
        };
    }

    public static bool Le(TemplateValue a, TemplateValue b) => Lt(a, b) || Eq([a, b]);

    /// <summary>Go's truth (exec.go isTrue): empty and zero values are false; structs are always true.</summary>
    public static bool IsTrue(TemplateValue v) => v.Kind switch
    {
        TemplateValueKind.Null => false,
        TemplateValueKind.Bool => v.AsBool,
        TemplateValueKind.String => v.AsString.Length > 0,
        TemplateValueKind.Integer => v.AsInteger != 0,
        TemplateValueKind.Float => v.AsFloat != 0,
        TemplateValueKind.Array => v.AsArray.Count > 0,
        _ => v.AsObject.TypeName is not null || v.AsObject.Count > 0,
    };

    private static bool IsOrdered(TemplateValue v) =>
        v.Kind is TemplateValueKind.Integer or TemplateValueKind.Float or TemplateValueKind.String;
}
