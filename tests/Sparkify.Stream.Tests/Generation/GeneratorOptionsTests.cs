using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Generation;

public sealed class GeneratorOptionsTests
{
    [Fact]
    public void Defaults_are_the_committed_sample()
    {
        var options = new GeneratorOptions("data");
        Assert.Equal((200, 10_000, 100, 3, new DateOnly(2018, 11, 1), 42, false),
            (options.Songs, options.Events, options.Users, options.Days, options.Start, options.Seed, options.Gzip));
        Assert.Same(options, options.Validate());
    }

    [Fact]
    public void Zero_songs_and_events_are_valid()
    {
        new GeneratorOptions("out") { Songs = 0, Events = 0 }.Validate();
    }

    private static readonly Dictionary<string, GeneratorOptions> BadOptions = new()
    {
        ["empty out"] = new GeneratorOptions(" "),
        ["negative songs"] = new GeneratorOptions("out") { Songs = -1 },
        ["negative events"] = new GeneratorOptions("out") { Events = -5 },
        ["no users"] = new GeneratorOptions("out") { Users = 0 },
        ["too many users"] = new GeneratorOptions("out") { Users = 1_000_001 },
        ["no days"] = new GeneratorOptions("out") { Days = 0 },
        ["before 2000"] = new GeneratorOptions("out") { Start = new DateOnly(1999, 12, 31) },
        ["past 2099"] = new GeneratorOptions("out") { Start = new DateOnly(2099, 12, 30), Days = 3 },
        ["unknown realism"] = new GeneratorOptions("out") { Realism = (Realism)7 },
    };

    [Theory]
    [InlineData("empty out", "--out")]
    [InlineData("negative songs", "--songs")]
    [InlineData("negative events", "--events")]
    [InlineData("no users", "--users")]
    [InlineData("too many users", "--users")]
    [InlineData("no days", "--days")]
    [InlineData("before 2000", "--start")]
    [InlineData("past 2099", "--start")]
    [InlineData("unknown realism", "--realism")]
    public void Validate_rejects_a_bad_value_with_a_one_line_message(string badCase, string option)
    {
        var error = Assert.Throws<ArgumentException>(() => BadOptions[badCase].Validate());
        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("clean", "Clean")]
    [InlineData("Messy", "Messy")]
    [InlineData("MESSY", "Messy")]
    public void Realism_is_read_in_any_case(string text, string expected)
    {
        Assert.Equal(expected, GeneratorOptions.ParseRealism(text).ToString());
        Assert.Equal(Realism.Clean, new GeneratorOptions("out").Realism);
    }

    [Fact]
    public void An_unknown_realism_is_a_one_line_error()
    {
        var error = Assert.Throws<ArgumentException>(() => GeneratorOptions.ParseRealism("tidy"));
        Assert.StartsWith("--realism must be clean or messy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_validates_first()
    {
        Assert.Throws<ArgumentException>(() => DataGenerator.Generate(new GeneratorOptions("out") { Days = 0 }));
    }
}
