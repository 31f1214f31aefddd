using System.IO.Hashing;
using System.Text;

namespace Sparkify.Stream.Records;

/// <summary>A bounded, lossy, lock-free cache from JSON string tokens (raw UTF-8, as written) to strings.</summary>
/// <remarks>
/// Log files repeat the same pages, levels, user agents and locations thousands of times; sharing one string
/// per value saves the decode and the allocation. Direct-mapped: a slot holds one immutable entry, replaced
/// on a miss, so the cache never grows and readers on other threads see either the old or the new entry.
/// Keys are the raw token bytes: a token with escapes always contains a backslash, one without never does,
/// so a raw key stands for exactly one decoded value.
/// </remarks>
internal sealed class StringPool
{
    /// <summary>Longer values are decoded every time: they rarely repeat and would crowd the cache.</summary>
    public const int MaxKeyBytes = 256;

    private readonly Entry?[] _slots;
    private readonly int _mask;

    /// <param name="capacity">Number of slots, rounded up to a power of two.</param>
    public StringPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Entry?[size];
        _mask = size - 1;
    }

    /// <summary>The cached string for <paramref name="raw"/>, or null when it is not (or no longer) cached.</summary>
    public string? Find(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxKeyBytes) return null;
        var entry = Volatile.Read(ref _slots[Slot(raw)]);
        return entry is not null && raw.SequenceEqual(entry.Key) ? entry.Value : null;
    }

    /// <summary>Remembers that <paramref name="raw"/> decodes to <paramref name="value"/>.</summary>
    public void Add(ReadOnlySpan<byte> raw, string value)
    {
        if (raw.Length > MaxKeyBytes) return;
        Volatile.Write(ref _slots[Slot(raw)], new Entry(raw.ToArray(), value));
    }

    /// <summary>The string for UTF-8 text without escapes, from the cache when possible.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        var found = Find(utf8);
        if (found is not null) return found;
        var value = Encoding.UTF8.GetString(utf8);
        Add(utf8, value);
        return value;
    }

    private int Slot(ReadOnlySpan<byte> raw) => (int)XxHash3.HashToUInt64(raw) & _mask;

    private sealed class Entry(byte[] key, string value)
    {
        public readonly byte[] Key = key;
        public readonly string Value = value;
    }
}
