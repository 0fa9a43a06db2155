namespace Anchor.Cli.Output.Templates;

/// <summary>The JSON-shaped kinds a template can see (there is no reflection under NativeAOT).</summary>
public enum TemplateValueKind
{
    /// <summary>JSON null, or a missing map entry: Go's nil interface, printed <c>&lt;no value&gt;</c>.</summary>
    Null,
    Bool,
    String,
    Integer,
    Float,
    Array,
    Object,
}
