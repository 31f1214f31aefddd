using Sparkify.Stream.Cli;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>The sizes `--dry-run` prints beside each count of files (powers of 1,024, one decimal).</summary>
public sealed class DryRunOutputTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KB")]
    [InlineData(52_224, "51.0 KB")]
    [InlineData(4_509_226, "4.3 MB")]
    [InlineData(5L * 1024 * 1024 * 1024 * 1024 * 1024, "5120.0 TB")]
    public void Sizes_are_read_in_the_largest_unit_below_the_value(long bytes, string expected) =>
        Assert.Equal(expected, DryRunOutput.Size(bytes));
}
