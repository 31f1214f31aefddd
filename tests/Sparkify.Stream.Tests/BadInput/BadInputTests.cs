using System.Text;
using static Sparkify.Stream.Tests.BadInput.Corpus;

namespace Sparkify.Stream.Tests.BadInput;

/// <summary>
/// Every class of bad input of issue 6, end to end through the real pipeline into DuckDB: each file's bad records
/// become reject rows with the reason and line written out here, its other records still load, and report.json
/// accounts for every record read (read = valid + rejected, per file and in total; checked in every run).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly Corpus _corpus = new();

    private static RejectRow Event(string key, int line, string reason, string field = "") => new(key, line, "event", reason, field);

    private static RejectRow Song(string key, int line, string reason, string field = "") => new(key, line, "song", reason, field);

    private static void AssertFile(CorpusRun run, string key, long read, long valid, long rejected)
    {
        var file = run.File(key);
        Assert.Equal((read, valid, rejected), (file.Read, file.Valid, file.Rejected));
    }

    [Fact]
    public async Task Malformed_json_lines_are_rejected_and_the_rest_of_the_file_loads()
    {
        var key = _corpus.Log("2018-11-01",
            Corpus.Event(1),
            "{\"ts\":1541030400000,\"userId\":\"7\"",              // 2: the object never closes
            Corpus.Event(3),
            "{\"ts\":1541030400000 \"userId\":\"7\"}",             // 4: no comma
            "{'ts': 1541030400000}",                               // 5: single quotes
            "{\"ts\":1541030400000}{\"ts\":1541030400001}",        // 6: two objects on one line
            "[" + Corpus.Event(7) + "]",                           // 7: an array, not an object
            "\"just a string\"",                                   // 8: a string, not an object
            "{\"ts\":1541030400000,}",                             // 9: trailing comma
            Corpus.Event(10));

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(key, 2, "malformed_json"), Event(key, 4, "malformed_json"), Event(key, 5, "malformed_json"),
            Event(key, 6, "malformed_json"), Event(key, 7, "malformed_json"), Event(key, 8, "malformed_json"),
            Event(key, 9, "malformed_json"),
        ], run.Rejects.Select(r => r.Core()));
        AssertFile(run, key, read: 10, valid: 3, rejected: 7);
        Assert.Equal(3, run.Songplays);
        Assert.Equal("[" + Corpus.Event(7) + "]", run.Rejects.Single(r => r.Line == 7).Raw);
    }

    [Fact]
    public async Task A_truncated_last_line_is_one_malformed_json_reject()
    {
        var key = _corpus.Log("2018-11-01", Corpus.Event(1), Corpus.Event(2), Corpus.Event(3)[..40]);

        var run = await _corpus.RunAsync();

        Assert.Equal([Event(key, 3, "malformed_json")], run.Rejects.Select(r => r.Core()));
        Assert.Equal(Corpus.Event(3)[..40], run.Rejects[0].Raw);
        AssertFile(run, key, read: 3, valid: 2, rejected: 1);
        Assert.Equal(2, run.Songplays);
    }

    [Fact]
    public async Task Wrong_types_are_rejected_with_their_field_and_lenient_values_load()
    {
        var key = _corpus.Log("2018-11-01",
            Corpus.Event(1),
            EventWith(2, "ts", "\"yesterday\""),
            EventWith(3, "sessionId", "\"x\""),
            EventWith(4, "status", "\"200\""),                 // a number in a string: taken (docs/semantics.md#validation-rules)
            EventWith(5, "song", "{\"name\":\"x\"}"),
            EventWith(6, "itemInSession", "1.5"),
            EventWith(7, "userId", "true"),
            EventWith(8, "length", "\"long\""),
            EventWith(9, "registration", "[1]"),
            EventWith(10, "artist", "42"));                    // a number in a string field: its text

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(key, 2, "wrong_type", "ts"), Event(key, 3, "wrong_type", "sessionId"),
            Event(key, 5, "wrong_type", "song"), Event(key, 6, "wrong_type", "itemInSession"),
            Event(key, 7, "wrong_type", "userId"), Event(key, 8, "wrong_type", "length"),
            Event(key, 9, "wrong_type", "registration"),
        ], run.Rejects.Select(r => r.Core()));
        Assert.Equal("ts is not a number: \"yesterday\"", run.Rejects[0].Message);
        AssertFile(run, key, read: 10, valid: 3, rejected: 7);
        Assert.Equal(3, run.Songplays);
    }

    [Fact]
    public async Task Out_of_range_values_are_rejected_with_their_field()
    {
        var key = _corpus.Log("2018-11-01",
            EventWith(1, "ts", "946684799999"),                // one millisecond before 2000
            EventWith(2, "status", "600"),
            EventWith(3, "itemInSession", "-1"),
            EventWith(4, "length", "-0.5"),
            EventWith(5, "userId", "\"2147483648\""),
            EventWith(6, "sessionId", "1e10"),
            EventWith(7, "registration", "1e19"),
            Corpus.Event(8));

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(key, 1, "out_of_range", "ts"), Event(key, 2, "out_of_range", "status"),
            Event(key, 3, "out_of_range", "itemInSession"), Event(key, 4, "out_of_range", "length"),
            Event(key, 5, "out_of_range", "userId"), Event(key, 6, "out_of_range", "sessionId"),
            Event(key, 7, "out_of_range", "registration"),
        ], run.Rejects.Select(r => r.Core()));
        AssertFile(run, key, read: 8, valid: 1, rejected: 7);
        Assert.Equal(1, run.Songplays);
    }

    [Fact]
    public async Task Missing_required_fields_are_rejected_and_missing_optional_fields_are_null()
    {
        var log = _corpus.Log("2018-11-01",
            EventWith(1, "ts", null),
            EventWith(2, "ts", "null"),
            "{\"ts\":1541030400000}",                          // only ts: valid, not a play
            Corpus.Event(4),
            EventWith(5, "userId", null),                      // logged out: valid, not a play
            "{}");
        var noId = _corpus.Song("TRNOID.json", "{\"title\": \"No id\", \"duration\": 1.0}");
        var nullId = _corpus.Song("TRNULLID.json", SongJson("X").Replace("\"song_id\": \"X\"", "\"song_id\": null", StringComparison.Ordinal));
        var emptyId = _corpus.Song("TREMPTYID.json", SongJson(""));
        var onlyId = _corpus.Song("TRONLYID.json", "{\"song_id\": \"SOONLY\"}");

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(log, 1, "missing_field", "ts"), Event(log, 2, "missing_field", "ts"), Event(log, 6, "missing_field", "ts"),
            Song(emptyId, 1, "missing_field", "song_id"), Song(noId, 1, "missing_field", "song_id"),
            Song(nullId, 1, "missing_field", "song_id"),
        ], run.Rejects.Select(r => r.Core()));
        AssertFile(run, log, read: 6, valid: 3, rejected: 3);
        AssertFile(run, onlyId, read: 1, valid: 1, rejected: 0);
        Assert.Equal((1, 1), (run.Songplays, run.Songs));
    }

    [Fact]
    public async Task A_string_over_65535_utf8_bytes_is_too_long_and_one_at_the_limit_loads()
    {
        static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));
        var key = _corpus.Log("2018-11-01",
            EventWith(1, "song", "\"" + new string('a', 65_535) + "\""),
            EventWith(2, "song", "\"" + new string('a', 65_536) + "\""),
            EventWith(3, "userAgent", "\"" + Repeat("é", 32_768) + "\""),          // 2 bytes each: 65,536
            EventWith(4, "location", "\"" + Repeat("\\u00e9", 32_768) + "\""),     // escaped, 65,536 once decoded
            EventWith(5, "song", "\"" + Repeat("\\u00e9", 32_767) + "a\""));       // 65,535 once decoded
        var song = _corpus.Song("TRLONG.json", SongJson("SOLONG").Replace("Title SOLONG", new string('t', 65_536), StringComparison.Ordinal));

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(key, 2, "too_long", "song"), Event(key, 3, "too_long", "userAgent"), Event(key, 4, "too_long", "location"),
            Song(song, 1, "too_long", "title"),
        ], run.Rejects.Select(r => r.Core()));
        Assert.Equal("song is 65,536 UTF-8 bytes, over the 65,535-byte limit", run.Rejects[0].Message);
        Assert.All(run.Rejects, r => Assert.True(Encoding.UTF8.GetByteCount(r.Raw) <= 1024));
        AssertFile(run, key, read: 5, valid: 2, rejected: 3);
        Assert.Equal((2, 0), (run.Songplays, run.Songs));
    }

    [Fact]
    public async Task Invalid_utf8_bytes_reject_their_line_and_a_whole_song_file()
    {
        byte[] Bad(int n, byte[] bytes) => Concat(Utf8(Corpus.Event(n)[..20]), bytes, Utf8(Corpus.Event(n)[20..]));
        var lines = new[]
        {
            Utf8(Corpus.Event(1)),
            Bad(2, [0xC3, 0x28]),                      // a lead byte without its continuation
            Bad(3, [0xFF]),                            // never valid in UTF-8
            Bad(4, [0xC0, 0xAF]),                      // overlong '/'
            Bad(5, [0xED, 0xA0, 0x80]),                // an encoded surrogate
            Utf8(EventWith(6, "song", "\"\\ud800\"")), // valid bytes, but the escape is a lone surrogate
            Utf8(Corpus.Event(7)),
        };
        var key = _corpus.Log("2018-11-01", Concat([.. lines.SelectMany(l => new[] { l, "\n"u8.ToArray() })]));
        var song = _corpus.Song("TRLATIN1.json", Concat(Utf8(SongJson("SOL")[..^1]), Utf8(", \"title\": \"Caf"), [0xE9], Utf8("\"}")));

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(key, 2, "invalid_utf8"), Event(key, 3, "invalid_utf8"), Event(key, 4, "invalid_utf8"),
            Event(key, 5, "invalid_utf8"), Event(key, 6, "invalid_utf8", "song"),
            Song(song, 1, "invalid_utf8"),
        ], run.Rejects.Select(r => r.Core()));
        Assert.Contains("\uFFFD", run.Rejects[1].Raw, StringComparison.Ordinal);   // raw stays readable CSV text
        AssertFile(run, key, read: 7, valid: 2, rejected: 5);
        Assert.Equal((2, 0), (run.Songplays, run.Songs));
    }

    [Fact]
    public async Task A_utf8_bom_at_the_start_of_a_file_is_dropped_and_elsewhere_is_malformed()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var crlf = _corpus.Log("2018-11-01", Concat(bom, Utf8(Corpus.Event(1) + "\r\n" + Corpus.Event(2) + "\r\n" + Corpus.Event(3) + "\r\n")));
        var inside = _corpus.Log("2018-11-02", Concat(Utf8(Corpus.Event(4) + "\n"), bom, Utf8(Corpus.Event(5))));
        var gz = _corpus.Log("2018-11-03", StoredGzip(Concat(bom, Utf8(Corpus.Event(6))), 1000), gz: true);
        var song = _corpus.Song("TRBOM.json", Concat(bom, Utf8(SongJson("SOBOM"))));

        var run = await _corpus.RunAsync();

        Assert.Equal([Event(inside, 2, "malformed_json")], run.Rejects.Select(r => r.Core()));
        AssertFile(run, crlf, read: 3, valid: 3, rejected: 0);
        AssertFile(run, gz, read: 1, valid: 1, rejected: 0);
        AssertFile(run, song, read: 1, valid: 1, rejected: 0);
        Assert.Equal((5, 1), (run.Songplays, run.Songs));
    }

    [Fact]
    public async Task Empty_and_blank_files_read_no_records_and_blank_lines_keep_their_numbers()
    {
        var empty = _corpus.Log("2018-11-01", []);
        var blank = _corpus.Log("2018-11-02", Utf8("\n\n   \n\t\r\n"));
        var gaps = _corpus.Log("2018-11-03", Corpus.Event(1), "", "  ", "{bad", Corpus.Event(5));
        var emptyGz = _corpus.Log("2018-11-04", [], gz: true);
        var gzOfNothing = _corpus.Log("2018-11-05", StoredGzip([], 1000), gz: true);
        var emptySong = _corpus.Song("TREMPTY.json", []);
        var emptyArray = _corpus.Song("TREMPTYARRAY.json", "[ ]");

        var run = await _corpus.RunAsync();

        Assert.Equal([Event(gaps, 4, "malformed_json")], run.Rejects.Select(r => r.Core()));
        foreach (var key in new[] { empty, blank, emptyGz, gzOfNothing, emptySong, emptyArray })
            AssertFile(run, key, read: 0, valid: 0, rejected: 0);
        AssertFile(run, gaps, read: 3, valid: 2, rejected: 1);
        Assert.Equal(7, run.Report.Files.Listed);
        Assert.Equal(7, run.Report.Files.Loaded);
    }

    [Fact]
    public async Task A_song_file_holding_an_array_loads_each_object_and_rejects_each_bad_element()
    {
        var two = _corpus.Song("TRARRAY1.json", $"[{SongJson("SOA")}, {SongJson("SOB")}]");
        var mixed = _corpus.Song("TRARRAY2.json", $"[{SongJson("SOC")}, {{\"title\": \"No id\"}}, 5, {SongJson("SOE")}]");
        var broken = _corpus.Song("TRARRAY3.json", $"[{SongJson("SOF")}, {{\"song_id\": \"SOG\", ");

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Song(mixed, 2, "missing_field", "song_id"), Song(mixed, 3, "malformed_json"), Song(broken, 2, "malformed_json"),
        ], run.Rejects.Select(r => r.Core()));
        AssertFile(run, two, read: 2, valid: 2, rejected: 0);
        AssertFile(run, mixed, read: 4, valid: 2, rejected: 2);
        AssertFile(run, broken, read: 2, valid: 1, rejected: 1);
        Assert.Equal(5, run.Songs);
    }

    [Fact]
    public async Task A_10_MB_single_line_is_read_whole()
    {
        const int TenMb = 10 * 1024 * 1024;
        var key = _corpus.Log("2018-11-01",
            Corpus.Event(1),
            EventWith(2, "song", "\"" + new string('x', TenMb) + "\""),
            Corpus.Event(3, extra: ",\"padding\":\"" + new string(' ', TenMb) + "\""),   // unknown field: ignored
            Corpus.Event(4));

        var run = await _corpus.RunAsync();

        Assert.Equal([Event(key, 2, "too_long", "song")], run.Rejects.Select(r => r.Core()));
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(run.Rejects[0].Raw));
        AssertFile(run, key, read: 4, valid: 3, rejected: 1);
        Assert.Equal(3, run.Songplays);
    }

    /// <summary>40 lines of equal length (events 10–49), each ending in '\n', and the offset where line k starts.</summary>
    private static (byte[] Data, Func<int, int> LineStart) FortyLines()
    {
        var data = Utf8(string.Concat(Enumerable.Range(10, 40).Select(n => Corpus.Event(n) + "\n")));
        var lineLength = data.Length / 40;
        return (data, k => (k - 1) * lineLength);
    }

    /// <summary>The file offset of output byte <paramref name="p"/> in <see cref="Corpus.StoredGzip"/> with 1,000-byte blocks.</summary>
    private static int FileOffset(int p) => 10 + (5 * ((p / 1000) + 1)) + p;

    [Fact]
    public async Task A_truncated_gz_keeps_the_lines_before_the_cut_and_gives_one_reject_naming_the_file()
    {
        var (data, lineStart) = FortyLines();
        var whole = StoredGzip(data, 1000);
        var intact = _corpus.Log("2018-11-01", whole, gz: true);
        var truncated = _corpus.Log("2018-11-02", whole[..FileOffset(lineStart(26) + 30)], gz: true);
        var atLineEnd = _corpus.Log("2018-11-03", whole[..FileOffset(lineStart(31))], gz: true);
        var headerOnly = _corpus.Log("2018-11-04", whole[..10], gz: true);
        var songGz = _corpus.Song("TRGZ.json.gz", StoredGzip(Utf8(SongJson("SOGZ")), 1000)[..40]);

        var run = await _corpus.RunAsync();

        Assert.Equal(
        [
            Event(truncated, 26, "malformed_json"), Event(atLineEnd, 31, "malformed_json"), Event(headerOnly, 1, "malformed_json"),
            Song(songGz, 1, "malformed_json"),
        ], run.Rejects.Select(r => r.Core()));
        Assert.StartsWith("corrupt gzip file: the data ends without its gzip trailer", run.Rejects[0].Message, StringComparison.Ordinal);
        Assert.EndsWith("lines from 26 on were not read", run.Rejects[0].Message, StringComparison.Ordinal);
        AssertFile(run, intact, read: 40, valid: 40, rejected: 0);
        AssertFile(run, truncated, read: 26, valid: 25, rejected: 1);
        AssertFile(run, atLineEnd, read: 31, valid: 30, rejected: 1);
        AssertFile(run, headerOnly, read: 1, valid: 0, rejected: 1);
        Assert.Equal(40, run.Songplays);   // the truncated files hold copies of the intact file's first lines
        Assert.Equal(0, run.Songs);
    }

    [Fact]
    public async Task A_garbled_gz_gives_one_reject_naming_the_file_and_a_concatenated_gz_is_whole()
    {
        var (data, lineStart) = FortyLines();
        var garbledFirst = StoredGzip(data, 1000);
        garbledFirst[13] ^= 0xFF;                                     // the first block's NLEN no longer matches LEN
        var garbledLater = StoredGzip(data, 1000);
        garbledLater[FileOffset(10_000) - 2] ^= 0xFF;                 // the same in block 10 (output byte 10,000 on)
        var badCrc = StoredGzip(data, 1000);
        badCrc[^8] ^= 0x01;
        var firstHalf = data[..lineStart(21)];
        var twoMembers = Concat(StoredGzip(firstHalf, 1000), StoredGzip(data[lineStart(21)..], 1000));
        byte[] png = [.. Png];

        var garbled = _corpus.Log("2018-11-01", garbledFirst, gz: true);
        var crc = _corpus.Log("2018-11-02", badCrc, gz: true);
        var later = _corpus.Log("2018-11-06", garbledLater, gz: true);
        var concatenated = _corpus.Log("2018-11-03", twoMembers, gz: true);
        var notGzip = _corpus.Log("2018-11-04", png, gz: true);
        var plainJson = _corpus.Log("2018-11-05", Utf8(Corpus.Event(1)), gz: true);

        var run = await _corpus.RunAsync();

        var crcReject = run.Rejects.Single(r => r.Key == crc);
        var laterReject = run.Rejects.Single(r => r.Key == later);
        Assert.Equal(
        [
            Event(garbled, 1, "malformed_json"), crcReject.Core(), Event(notGzip, 1, "malformed_json"),
            Event(plainJson, 1, "malformed_json"), laterReject.Core(),
        ], run.Rejects.Select(r => r.Core()));
        Assert.Equal(Event(later, laterReject.Line, "malformed_json"), laterReject.Core());
        Assert.All(run.Rejects, r => Assert.StartsWith("corrupt gzip file: ", r.Message, StringComparison.Ordinal));
        AssertFile(run, garbled, read: 1, valid: 0, rejected: 1);
        AssertFile(run, concatenated, read: 40, valid: 40, rejected: 0);
        // A wrong CRC shows only at the end: the lines the decompressor handed over before it still load.
        AssertFile(run, crc, read: crcReject.Line, valid: crcReject.Line - 1, rejected: 1);
        Assert.InRange(crcReject.Line, 1, 41);
        // Where the decompressor fails mid-file, the whole lines it decoded before are kept: more than none (the
        // first read hands over several kilobytes), none from the garbled block on.
        var garbledLine = (10_000 / lineStart(2)) + 1;
        AssertFile(run, later, read: laterReject.Line, valid: laterReject.Line - 1, rejected: 1);
        Assert.InRange(laterReject.Line, 2, garbledLine);
        Assert.Equal(40, run.Songplays);
    }

    /// <summary>A 1×1 PNG: signature, IHDR, IDAT, IEND (its bytes hold '\n' four times).</summary>
    private static ReadOnlySpan<byte> Png =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89,
        0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
        0x0D, 0x0A, 0x2D, 0xB4,
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    [Fact]
    public async Task A_file_that_is_not_json_at_all_is_rejected_line_by_line_or_as_one_song_record()
    {
        var pngLog = _corpus.Log("2018-11-01", [.. Png]);
        var textLog = _corpus.Log("2018-11-02", "hello", Corpus.Event(2), "world");
        var pngSong = _corpus.Song("TRPNG.json", [.. Png]);
        var textSong = _corpus.Song("TRTEXT.json", "hello world");

        var run = await _corpus.RunAsync();

        // The PNG's lines: "\x89PNG" | "\x1A" | "\0\0\0\rIHDR…ĉ\0\0\0" (valid UTF-8) | "IDATx\x9C…" | "-\xB4…IEND…".
        Assert.Equal(
        [
            Event(pngLog, 1, "invalid_utf8"), Event(pngLog, 2, "malformed_json"), Event(pngLog, 3, "malformed_json"),
            Event(pngLog, 4, "invalid_utf8"), Event(pngLog, 5, "invalid_utf8"),
            Event(textLog, 1, "malformed_json"), Event(textLog, 3, "malformed_json"),
            Song(pngSong, 1, "invalid_utf8"), Song(textSong, 1, "malformed_json"),
        ], run.Rejects.Select(r => r.Core()));
        AssertFile(run, pngLog, read: 5, valid: 0, rejected: 5);
        AssertFile(run, textLog, read: 3, valid: 1, rejected: 2);
        Assert.Equal((1, 0), (run.Songplays, run.Songs));
    }

    public void Dispose() => _corpus.Dispose();
}
