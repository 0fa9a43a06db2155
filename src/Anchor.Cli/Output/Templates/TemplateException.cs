namespace Anchor.Cli.Output.Templates;

/// <summary>
/// A parse or execution error, worded as Go's text/template words it
/// (<c>template: :1: function "foo" not defined</c>,
/// <c>template: :1:2: executing "" at &lt;.Nope&gt;: map has no entry for key "Nope"</c>).
/// docker prefixes these with "template parsing error: " (see <see cref="TemplateFormatter"/>).
/// </summary>
public sealed class TemplateException : Exception
{
    public TemplateException()
    {
    }

    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
