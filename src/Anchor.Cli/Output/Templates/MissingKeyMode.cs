namespace Anchor.Cli.Output.Templates;

/// <summary>Go's <c>missingkey</c> template option (text/template, Template.Option).</summary>
public enum MissingKeyMode
{
    /// <summary><c>missingkey=default</c>: a missing map key yields no value, printed <c>&lt;no value&gt;</c>.</summary>
    Default,

    /// <summary>
    /// <c>missingkey=error</c>: "map has no entry for key". docker inspect retries a failed template
    /// on the raw JSON with this option, so that is the error its users see for <c>{{.Nope}}</c>.
    /// </summary>
    Error,
}
