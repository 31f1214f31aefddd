namespace Sparkify.Stream.Generation;

/// <summary>Ids shaped like the Million Song Dataset's: 18 characters, <c>TR…</c>, <c>SO…</c>, <c>AR…</c>.</summary>
internal static class MsdIds
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>A track id, e.g. <c>TRABBNP128F932546F</c>; its 3rd–5th letters name the song file's folders.</summary>
    /// <remarks>The 3rd letter is A or B only (as in the MSD's 10,000-song subset) so a catalogue fills ~1,400 folders, not 17,576.</remarks>
    public static string Track(Random rng)
    {
        Span<char> id = stackalloc char[18];
        id[0] = 'T';
        id[1] = 'R';
        id[2] = rng.NextDouble() < 0.7 ? 'A' : 'B';
        Fill(id[3..7], Letters, rng);
        if (rng.NextDouble() < 0.55)
        {
            "128F".CopyTo(id[7..]);
            Fill(id[11..], HexDigits, rng);
        }
        else
        {
            "12903".CopyTo(id[7..]);
            Fill(id[12..], HexDigits, rng);
        }
        return new string(id);
    }

    /// <summary>A song id, e.g. <c>SOGVQGJ12AB017F169</c>.</summary>
    public static string Song(Random rng)
    {
        Span<char> id = stackalloc char[18];
        id[0] = 'S';
        id[1] = 'O';
        Fill(id[2..7], Letters, rng);
        "12A".CopyTo(id[7..]);
        Fill(id[10..], HexDigits, rng);
        return new string(id);
    }

    /// <summary>An artist id, e.g. <c>ARGCY1Y1187B9A4FA5</c>.</summary>
    public static string Artist(Random rng)
    {
        Span<char> id = stackalloc char[18];
        id[0] = 'A';
        id[1] = 'R';
        Fill(id[2..7], Alphanumerics, rng);
        if (rng.NextDouble() < 0.85)
        {
            "1187".CopyTo(id[7..]);
            Fill(id[11..], HexDigits, rng);
        }
        else
        {
            id[7] = '1';
            Fill(id[8..], HexDigits, rng);
        }
        return new string(id);
    }

    private static void Fill(Span<char> target, string alphabet, Random rng)
    {
        for (var i = 0; i < target.Length; i++) target[i] = alphabet[rng.Next(alphabet.Length)];
    }
}
