using System.Text;
using Sparkify.Stream.Records;
using static Sparkify.Stream.Tests.Records.SongFiles;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Song files: one object, an array of objects or objects one after another; record numbers; broken files.</summary>
public sealed class SongFileStructureTests
{
    [Fact]
    public void Reads_an_array_of_songs_numbering_them_from_one()
    {
        var second = SongWith("song_id", "\"SOSECOND12A6D4FA1E\"");
        var bad = SongWith("duration", "-1");

        var (read, songs, rejects) = Parse($"[{Song},\n {second}, {bad}]");

        Assert.Equal(3, read);
        Assert.Equal(["SOUPIRU12A6D4FA1E1", "SOSECOND12A6D4FA1E"], songs.Select(s => s.SongId));
        var reject = Assert.Single(rejects);
        Assert.Equal((3, RejectReason.OutOfRange, "duration"), (reject.Line, reject.Reason, reject.Field));
        Assert.Equal(bad, reject.Raw);
    }

    [Fact]
    public void Reads_several_objects_one_after_another()
    {
        var (read, songs, _) = Parse($"{Song}\n{SongWith("year", "2001")}\n{SongWith("year", "2002")}");

        Assert.Equal(3, read);
        Assert.Equal([1995, 2001, 2002], songs.Select(s => s.Year));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t\r\n")]
    [InlineData("\uFEFF")]
    [InlineData("\uFEFF \n")]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    public void An_empty_file_or_array_reads_no_records(string content)
    {
        var (read, songs, rejects) = Parse(content);

        Assert.Equal(0, read);
        Assert.Empty(songs);
        Assert.Empty(rejects);
    }

    [Fact]
    public void Drops_a_bom_at_the_start()
    {
        Assert.Equal(1995, Valid("\uFEFF" + Song).Year);
    }

    [Fact]
    public void Rejects_an_array_element_that_is_not_an_object_as_malformed()
    {
        var (read, songs, rejects) = Parse($"[{Song}, 42, [1, 2], {SongWith("year", "2001")}]");

        Assert.Equal(4, read);
        Assert.Equal(2, songs.Count);
        Assert.Equal([2, 3], rejects.Select(r => r.Line));
        Assert.All(rejects, r => Assert.Equal(RejectReason.MalformedJson, r.Reason));
        Assert.Equal("array element is a number, not an object", rejects[0].Message);
        Assert.Equal("42", rejects[0].Raw);
        Assert.Equal("[1, 2]", rejects[1].Raw);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"song\"")]
    [InlineData("null")]
    public void Rejects_a_file_that_is_json_but_not_an_object_as_malformed(string content)
    {
        Assert.Equal(1, Rejected(content, RejectReason.MalformedJson, null).Line);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_json_as_one_malformed_record()
    {
        var reject = Rejected("<html>Not Found</html>", RejectReason.MalformedJson, null);

        Assert.Equal(1, reject.Line);
        Assert.StartsWith("not valid JSON: ", reject.Message);
        Assert.Equal("<html>Not Found</html>", reject.Raw);
    }

    [Fact]
    public void Rejects_a_truncated_file_as_malformed()
    {
        Assert.Equal(1, Rejected(Song[..60], RejectReason.MalformedJson, null).Line);
    }

    [Fact]
    public void Keeps_the_records_before_the_one_where_the_json_broke()
    {
        var (read, songs, rejects) = Parse($"[{Song}, {Song[..50]}");

        Assert.Equal(2, read);
        Assert.Single(songs);
        var reject = Assert.Single(rejects);
        Assert.Equal((2, RejectReason.MalformedJson), (reject.Line, reject.Reason));
        Assert.Equal(Song[..50], reject.Raw);
    }

    [Fact]
    public void Numbers_garbage_after_the_last_record_as_the_next_record()
    {
        var (read, songs, rejects) = Parse($"{Song}\n}}");

        Assert.Equal(2, read);
        Assert.Single(songs);
        Assert.Equal((2, "}"), (rejects[0].Line, rejects[0].Raw));
    }

    [Fact]
    public void Rejects_a_file_with_invalid_utf8_as_one_record()
    {
        var content = Encoding.UTF8.GetBytes(SongWith("artist_name", "\"Line Ren#ud\""));
        content[Array.IndexOf(content, (byte)'#')] = 0xC0;

        var (read, songs, rejects) = Parse(content);

        Assert.Equal(1, read);
        Assert.Empty(songs);
        var reject = Assert.Single(rejects);
        Assert.Equal((1, RejectReason.InvalidUtf8, (string?)null), (reject.Line, reject.Reason, reject.Field));
        Assert.Contains("Line Ren\uFFFDud", reject.Raw);
    }

    [Fact]
    public void Parses_files_from_many_threads_at_once()
    {
        var files = Enumerable.Range(0, 200)
            .Select(i => Encoding.UTF8.GetBytes(SongWith("year", (1950 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .ToArray();
        var parser = new SongFileParser();

        var years = new int?[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var songs = new List<SongRecord>();
            parser.Parse(files[i], Key, songs, []);
            years[i] = Assert.Single(songs).Year;
        });

        Assert.Equal(Enumerable.Range(1950, 200).Select(y => (int?)y), years);
    }
}
