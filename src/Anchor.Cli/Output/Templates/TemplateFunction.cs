namespace Anchor.Cli.Output.Templates;

/// <summary>A template function: its arity (Max -1 = variadic) and its body.</summary>
public sealed record TemplateFunction(int Min, int Max, Func<IReadOnlyList<TemplateValue>, TemplateValue> Call);
