namespace Anchor.Api;

/// <summary>An attach's mark on its connection (see <see cref="HalfCloseTransport"/>).</summary>
public sealed class HalfClose
{
    public const string Key = "anchor.attach";

    /// <summary>The client shut down its writing side; everything it sent is readable already.</summary>
    public TaskCompletionSource ClientClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The attach has ended: the connection's input may end too.</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
