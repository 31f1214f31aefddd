namespace Sparkify.Stream.Generation;

/// <summary>The independent random streams of one generation.</summary>
internal enum RandomStream
{
    Artists = 1,
    Songs = 2,
    OutsideSongs = 3,
    Users = 4,
    Day = 6,
    Chunk = 7,
    BadLines = 8,
    Messy = 9,
}

/// <summary>Derives a <see cref="Random"/> from the seed, a stream and an index only, so output never depends on scheduling.</summary>
internal static class Seeds
{
    public static Random Create(int seed, RandomStream stream, int index = 0, int subIndex = 0)
    {
        var x = Mix((ulong)(uint)seed);
        x = Mix(x ^ (ulong)stream);
        x = Mix(x ^ (uint)index);
        x = Mix(x ^ (uint)subIndex);
        return new Random((int)(x >> 33));
    }

    /// <summary>A fraction in [0, 1) that depends on <paramref name="key"/> alone (no stream consumed, the same on every machine).</summary>
    public static double Fraction(string key) =>
        (Mix(System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(key))) >> 11) / (double)(1UL << 53);

    // SplitMix64's finaliser: neighbouring inputs give unrelated outputs.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
