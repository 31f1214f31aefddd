using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Exact integer reading of JSON number text: integral forms, fractions, range, grammar.</summary>
public sealed class JsonNumberTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("8", 8L)]
    [InlineData("8.0", 8L)]
    [InlineData("8.000000000000000000000000000000", 8L)]
    [InlineData("0.8e1", 8L)]
    [InlineData("80e-1", 8L)]
    [InlineData("1.540919166796E12", 1540919166796L)]
    [InlineData("1540919166796.0", 1540919166796L)]
    [InlineData("0.0e99999999999999999999", 0L)]
    [InlineData("0e-5", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9.223372036854775807e18", long.MaxValue)]
    [InlineData("1E18", 1_000_000_000_000_000_000L)]
    public void Reads_integral_numbers_exactly(string text, long expected)
    {
        Assert.Equal(IntegralKind.Integral, JsonNumber.ParseIntegral(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("8.5")]
    [InlineData("0.1")]
    [InlineData("1.5409191667965E12")]
    [InlineData("1e-1")]
    [InlineData("-0.000001")]
    [InlineData("1e-99999999999999999999")]
    public void Calls_a_number_with_a_fractional_part_a_fraction(string text)
    {
        Assert.Equal(IntegralKind.Fraction, JsonNumber.ParseIntegral(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("1e19")]
    [InlineData("1e99999999999999999999")]
    [InlineData("12345678901234567890123")]
    public void Calls_an_integer_beyond_bigint_out_of_range(string text)
    {
        Assert.Equal(IntegralKind.OutOfRange, JsonNumber.ParseIntegral(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+8")]
    [InlineData(" 8")]
    [InlineData("8 ")]
    [InlineData("08")]
    [InlineData("000e5")]
    [InlineData("8.")]
    [InlineData(".8")]
    [InlineData("8e")]
    [InlineData("8e+")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,000")]
    public void Rejects_text_that_is_not_a_json_number(string text)
    {
        Assert.False(JsonNumber.IsValid(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(IntegralKind.NotNumber, JsonNumber.ParseIntegral(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Reads_a_very_long_integral_number_without_trouble()
    {
        var text = "1" + new string('0', 1_000_000) + "e-1000000";

        Assert.Equal(IntegralKind.Integral, JsonNumber.ParseIntegral(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(1L, value);
    }
}
