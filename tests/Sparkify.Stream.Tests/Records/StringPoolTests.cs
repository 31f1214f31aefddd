using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>The bounded string cache: equal bytes give one string, it never grows, and long values bypass it.</summary>
public sealed class StringPoolTests
{
    [Fact]
    public void Returns_the_same_string_for_the_same_bytes()
    {
        var pool = new StringPool(16);

        var a = pool.Get("NextSong"u8);
        var b = pool.Get("NextSong"u8);

        Assert.Equal("NextSong", a);
        Assert.Same(a, b);
    }

    [Fact]
    public void Stays_correct_when_values_outnumber_its_slots()
    {
        var pool = new StringPool(4);

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 100; i++)
                Assert.Equal($"value {i}", pool.Get(Encoding.UTF8.GetBytes($"value {i}")));
        }
    }

    [Fact]
    public void Does_not_cache_values_longer_than_its_key_limit()
    {
        var pool = new StringPool(16);
        var bytes = Encoding.UTF8.GetBytes(new string('x', StringPool.MaxKeyBytes + 1));

        pool.Add(bytes, "x");

        Assert.Null(pool.Find(bytes));
    }

    [Fact]
    public void Is_safe_to_share_between_threads()
    {
        var pool = new StringPool(8);
        var keys = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($"k{i}")).ToArray();

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var k = i % keys.Length;
            Assert.Equal($"k{k}", pool.Get(keys[k]));
        });
    }

    [Fact]
    public void Keeps_raw_keys_apart_from_their_decoded_text()
    {
        // A slot holds a bare string only when its key is that string's own ASCII text; an escaped key or a
        // non-ASCII one keeps its bytes. Each is checked in a pool of one slot, so every key lands in the same slot.
        var pool = new StringPool(1);

        pool.Add(@"AC\/DC"u8, "AC/DC");
        Assert.Equal("AC/DC", pool.Find(@"AC\/DC"u8));
        Assert.Null(pool.Find("AC/DC"u8));

        pool.Add("AC/DC"u8, "AC/DC");
        Assert.Equal("AC/DC", pool.Find("AC/DC"u8));
        Assert.Null(pool.Find(@"AC\/DC"u8));
        Assert.Null(pool.Find("AC/D"u8));
        Assert.Null(pool.Find("AC/DCX"u8));

        pool.Add(@"Beyonc\u00e9"u8, "Beyoncé");
        Assert.Equal("Beyoncé", pool.Find(@"Beyonc\u00e9"u8));
        Assert.Null(pool.Find("Beyoncé"u8));

        pool.Add("Beyoncé"u8, "Beyoncé");
        Assert.Equal("Beyoncé", pool.Find("Beyoncé"u8));
        Assert.Null(pool.Find("Beyonce"u8));
    }
}
