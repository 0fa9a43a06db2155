using Anchor.Linux;

namespace Anchor.Engine.Containers;

/// <summary>docker-style generated names: adjective_surname (moby namesgenerator, our own word lists).</summary>
public static class NameGenerator
{
    private static readonly string[] Adjectives =
    [
        "admiring", "agile", "amazing", "brave", "busy", "calm", "clever", "cool", "dazzling", "eager",
        "elegant", "epic", "fervent", "focused", "gallant", "gifted", "happy", "hopeful", "jolly", "keen",
        "kind", "lucid", "modest", "nifty", "optimistic", "patient", "quirky", "relaxed", "serene", "sharp",
        "stoic", "tender", "trusting", "upbeat", "vibrant", "wizardly", "youthful", "zealous",
    ];

    private static readonly string[] Surnames =
    [
        "babbage", "bardeen", "bell", "boole", "curie", "darwin", "dijkstra", "einstein", "euler", "fermat",
        "feynman", "franklin", "gauss", "goldberg", "hamilton", "hopper", "hypatia", "kepler", "knuth", "lamarr",
        "lovelace", "maxwell", "meitner", "noether", "pascal", "ritchie", "shannon", "tesla", "thompson", "torvalds",
        "turing", "wozniak", "yalow",
    ];

    public static string Next()
    {
        Span<byte> r = stackalloc byte[4];
        Sys.GetRandom(r);
        return $"{Adjectives[r[0] % Adjectives.Length]}_{Surnames[r[1] % Surnames.Length]}";
    }
}
