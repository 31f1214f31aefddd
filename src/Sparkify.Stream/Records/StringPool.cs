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
/// A slot holds the string itself when its key is that string's own ASCII text (most values: pages, agents, names,
/// songs), else an entry with the key's bytes: the hit then reads the slot and the string, not an entry and a byte
/// array beside it — one memory load fewer on a lookup that, for a catalogue of songs, mostly misses the CPU cache.
/// </remarks>
internal sealed class StringPool
{
    /// <summary>Longer values are decoded every time: they rarely repeat and would crowd the cache.</summary>
    public const int MaxKeyBytes = 256;

    private readonly object?[] _slots;   // a string, or an Entry
    private readonly int _mask;

    /// <param name="capacity">Number of slots, rounded up to a power of two.</param>
    public StringPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new object?[size];
        _mask = size - 1;
    }

    /// <summary>The cached string for <paramref name="raw"/>, or null when it is not (or no longer) cached.</summary>
    public string? Find(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxKeyBytes) return null;
        var slot = Volatile.Read(ref _slots[Slot(raw)]);
        if (slot is string ascii) return Ascii.Equals(raw, ascii) ? ascii : null;   // its key is its own text
        return slot is Entry entry && raw.SequenceEqual(entry.Key) ? entry.Value : null;
    }

    /// <summary>Remembers that <paramref name="raw"/> decodes to <paramref name="value"/>.</summary>
    public void Add(ReadOnlySpan<byte> raw, string value)
    {
        if (raw.Length > MaxKeyBytes) return;
        Volatile.Write(ref _slots[Slot(raw)], Ascii.Equals(raw, value) ? value : new Entry(raw.ToArray(), value));
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
