namespace Anchor.Cli.Output.Templates;

/// <summary>
/// A template function's failure. <see cref="IsCallError"/> errors are reported as Go reports an
/// error returned by the function ("error calling index: ..."); the others are Go's argument
/// checks ("wrong type for value; expected string; got int").
/// </summary>
internal sealed class FunctionException : Exception
{
    public FunctionException()
    {
    }

    public FunctionException(string message)
        : this(message, isCallError: true)
    {
    }

    public FunctionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FunctionException(string message, bool isCallError)
        : base(message) => IsCallError = isCallError;

    public bool IsCallError { get; } = true;
}
