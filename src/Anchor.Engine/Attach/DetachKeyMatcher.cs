namespace Anchor.Engine.Attach;

/// <summary>
/// Watches stdin for the detach sequence, as docker's escape proxy does: bytes that could be the
/// start of the sequence are held back; if the sequence completes they are dropped and the client
/// detaches, otherwise they are passed on with the byte that broke the match.
/// </summary>
public sealed class DetachKeyMatcher(byte[] keys)
{
    private int _matched;

    /// <summary>Returns the bytes to forward; <paramref name="detached"/> when the sequence completed (the rest is dropped).</summary>
    public byte[] Feed(ReadOnlySpan<byte> input, out bool detached)
    {
        detached = false;
        if (keys.Length == 0)
        {
            return input.ToArray();
        }

        var output = new List<byte>(input.Length);
        foreach (var b in input)
        {
            if (b == keys[_matched])
            {
                if (++_matched == keys.Length)
                {
                    detached = true;
                    _matched = 0;
                    return [.. output];
                }

                continue;
            }

            output.AddRange(keys.AsSpan(0, _matched));
            _matched = b == keys[0] ? 1 : 0;
            if (_matched == 0)
            {
                output.Add(b);
            }
        }

        return [.. output];
    }
}
