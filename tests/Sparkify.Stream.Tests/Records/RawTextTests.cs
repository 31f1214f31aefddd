using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>The raw text of a reject: at most 1,024 UTF-8 bytes, never a split character, invalid bytes replaced.</summary>
public sealed class RawTextTests
{
    [Fact]
    public void Keeps_a_short_record_whole()
    {
        Assert.Equal("{\"ts\":1}", RawText.Raw("{\"ts\":1}"u8));
    }

    [Fact]
    public void Cuts_ascii_at_1024_bytes()
    {
        Assert.Equal(new string('a', 1024), RawText.Raw(Encoding.UTF8.GetBytes(new string('a', 5000))));
    }

    [Theory]
    [InlineData(1021, 1021)] // "𝄞" (4 bytes) at 1021..1024 would be split: cut before it
    [InlineData(1020, 1024)] // at 1020..1023 it fits exactly
    [InlineData(1023, 1023)]
    public void Never_cuts_inside_a_utf8_sequence(int asciiPrefix, int expectedBytes)
    {
        var text = new string('a', asciiPrefix) + "𝄞𝄞";

        var raw = RawText.Raw(Encoding.UTF8.GetBytes(text));

        Assert.Equal(expectedBytes, Encoding.UTF8.GetByteCount(raw));
        Assert.DoesNotContain('\uFFFD', raw);
    }

    [Fact]
    public void Replaces_invalid_bytes_and_stays_within_1024_bytes()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 2000).ToArray();

        var raw = RawText.Raw(bytes);

        Assert.All(raw, c => Assert.Equal('\uFFFD', c));
        Assert.True(Encoding.UTF8.GetByteCount(raw) <= 1024);
        Assert.Equal(341, raw.Length); // 341 × 3 bytes = 1,023
    }

    [Fact]
    public void Finds_the_first_invalid_utf8_byte()
    {
        Assert.Equal(-1, RawText.FirstInvalidUtf8("héllo"u8));
        Assert.Equal(3, RawText.FirstInvalidUtf8([(byte)'a', 0xC3, 0xA9, 0xFF, (byte)'b']));
    }
}
