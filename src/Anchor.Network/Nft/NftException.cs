namespace Anchor.Network.Nft;

/// <summary>nft(8) rejected a transaction (nothing of it was applied) or could not be run.</summary>
public sealed class NftException : Exception
{
    public NftException() { }

    public NftException(string message) : base(message) { }

    public NftException(string message, Exception inner) : base(message, inner) { }
}
