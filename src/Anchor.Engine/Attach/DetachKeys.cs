namespace Anchor.Engine.Attach;

/// <summary>
/// docker's detach key syntax (moby/term ToBytes): comma-separated keys, each one character or
/// <c>ctrl-X</c> with X one of a-z @ [ \ ] ^ _. The default is ctrl-p,ctrl-q.
/// </summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    public static byte[] Parse(string keys)
    {
        var codes = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length == 1 && key[0] < 0x80)
            {
                codes.Add((byte)key[0]);
                continue;
            }

            if (key.Length != 6 || !key.StartsWith("ctrl-", StringComparison.Ordinal))
            {
                throw Invalid(keys);
            }

            codes.Add(key[5] switch
            {
                >= 'a' and <= 'z' => (byte)(key[5] - 'a' + 1),
                '@' => 0,
                '[' => 27,
                '\\' => 28,
                ']' => 29,
                '^' => 30,
                '_' => 31,
                _ => throw Invalid(keys),
            });
        }

        return [.. codes];
    }

    private static EngineException Invalid(string keys) => new($"Invalid detach keys ({keys}) provided", 1);
}
